import {
  InstanceConflict,
  InstanceNameRejected,
  InstancesService,
  type InstanceView,
} from '@erp-id/instances';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { fail, print, type OutputOptions } from '../output';

const describe = (i: InstanceView): string =>
  [
    `name:     ${i.name}`,
    `display:  ${i.displayName ?? '-'}`,
    `status:   ${i.status}`,
    `issuer:   ${i.issuer}`,
    `version:  ${i.version}`,
  ].join('\n');

abstract class JsonOption extends CommandRunner {
  @Option({ flags: '--json', description: 'print JSON' })
  parseJson(): boolean {
    return true;
  }
}

@SubCommand({ name: 'create', arguments: '<name>', description: 'onboard an instance (keys included)' })
export class InstancesCreateCommand extends JsonOption {
  constructor(private readonly instances: InstancesService) {
    super();
  }

  async run([name]: string[], options: OutputOptions & { displayName?: string }): Promise<void> {
    try {
      const view = await this.instances.create({ name: name!, displayName: options.displayName });
      print(view, options, () => `created\n${describe(view)}`);
    } catch (err) {
      if (err instanceof InstanceNameRejected || err instanceof InstanceConflict) return fail(err.message);
      throw err;
    }
  }

  @Option({ flags: '--display-name <text>', description: 'name shown on sign-in pages' })
  parseDisplayName(value: string): string {
    return value;
  }
}

@SubCommand({ name: 'show', arguments: '<name>', description: 'show an instance' })
export class InstancesShowCommand extends JsonOption {
  constructor(private readonly instances: InstancesService) {
    super();
  }

  async run([name]: string[], options: OutputOptions): Promise<void> {
    const view = await this.instances.get(name!);
    if (!view) return fail(`instance ${name} does not exist`);
    print(view, options, () => describe(view));
  }
}

@SubCommand({
  name: 'delete',
  arguments: '<name>',
  description: 'remove an instance, its rows and its state',
})
export class InstancesDeleteCommand extends JsonOption {
  constructor(private readonly instances: InstancesService) {
    super();
  }

  async run([name]: string[], options: OutputOptions): Promise<void> {
    if (!(await this.instances.delete(name!))) return fail(`instance ${name} does not exist`);
    print({ deleted: name }, options, () => `deleted ${name}`);
  }
}

@Command({
  name: 'instances',
  description: 'manage instances',
  subCommands: [InstancesCreateCommand, InstancesShowCommand, InstancesDeleteCommand],
})
export class InstancesCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
