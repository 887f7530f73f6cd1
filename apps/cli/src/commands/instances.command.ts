import { InstancesService, type InstanceView } from '@erp-id/instances';
import type { InstanceStatus } from '@erp-id/persistence';
import type { InstancePolicies } from '@erp-id/policies';
import { Injectable } from '@nestjs/common';
import { Command, Option, SubCommand } from 'nest-commander';
import { JsonOption } from '../cli-options';
import { CommandGroup, type CommandList } from '../command-group';
import { fail, failMissing, linesOrNone, print, type OutputOptions } from '../output';
import { readAllPages } from '../read-all-pages';
import { failOnRefusal } from '../refusals';

const STATUSES: readonly InstanceStatus[] = ['active', 'suspended'];

const describe = (i: InstanceView): string =>
  [
    `name:     ${i.name}`,
    `display:  ${i.displayName ?? '-'}`,
    `status:   ${i.status}`,
    `issuer:   ${i.issuer}`,
    `domains:  ${i.customDomains.length ? i.customDomains.join(', ') : '-'}`,
    `version:  ${i.version}`,
  ].join('\n');

/** One `path = value` line per policy, in the schema's order. */
function describePolicies(value: unknown, path: string[] = []): string[] {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, inner]) => describePolicies(inner, [...path, key]));
  }
  const shown = Array.isArray(value) ? (value.length ? value.join(', ') : '(none)') : String(value);
  return [`${path.join('.')} = ${shown}`];
}

@SubCommand({ name: 'create', arguments: '<name>', description: 'onboard an instance (keys included)' })
export class InstancesCreateCommand extends JsonOption {
  constructor(private readonly instances: InstancesService) {
    super();
  }

  async run([name]: string[], options: OutputOptions & { displayName?: string }): Promise<void> {
    await failOnRefusal(async () => {
      const view = await this.instances.create({ name: name!, displayName: options.displayName });
      print(view, options, () => `created\n${describe(view)}`);
    });
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
    if (!view) return failMissing(`instance ${name}`);
    print(view, options, () => describe(view));
  }
}

@SubCommand({ name: 'list', description: 'list instances by name' })
export class InstancesListCommand extends JsonOption {
  constructor(private readonly instances: InstancesService) {
    super();
  }

  async run(_args: string[], options: OutputOptions & { status?: string }): Promise<void> {
    const status = options.status === undefined ? undefined : STATUSES.find((s) => s === options.status);
    if (options.status !== undefined && !status) {
      return fail(`unknown status ${options.status} (expected ${STATUSES.join(' or ')})`);
    }
    const items = await readAllPages((window) => this.instances.list({ ...window, status }));
    print(items, options, () =>
      linesOrNone(
        items,
        (i) => `${i.name.padEnd(24)} ${i.status.padEnd(10)} ${i.displayName ?? ''}`.trimEnd(),
        'no instances',
      ),
    );
  }

  @Option({ flags: '--status <status>', description: `only instances that are ${STATUSES.join(' or ')}` })
  parseStatus(value: string): string {
    // Checked in run(): an error thrown here is printed, but the process would still exit 0.
    return value;
  }
}

/** Suspends or resumes: a status change is announced to every replica like any other change. */
// Decorated so its constructor's parameter types are emitted; the subcommands inherit them.
@Injectable()
abstract class InstanceStatusCommand extends JsonOption {
  protected abstract readonly status: InstanceStatus;

  constructor(private readonly instances: InstancesService) {
    super();
  }

  async run([name]: string[], options: OutputOptions): Promise<void> {
    const view = await this.instances.update(name!, { status: this.status });
    if (!view) return failMissing(`instance ${name}`);
    print(view, options, () => `${name} is ${view.status}`);
  }
}

@SubCommand({
  name: 'suspend',
  arguments: '<name>',
  description: 'suspend an instance: every public endpoint answers 503 until it is resumed',
})
export class InstancesSuspendCommand extends InstanceStatusCommand {
  protected readonly status = 'suspended';
}

@SubCommand({ name: 'resume', arguments: '<name>', description: 'serve a suspended instance again' })
export class InstancesResumeCommand extends InstanceStatusCommand {
  protected readonly status = 'active';
}

@SubCommand({ name: 'policies', arguments: '<name>', description: "show an instance's effective policies" })
export class InstancesPoliciesCommand extends JsonOption {
  constructor(private readonly instances: InstancesService) {
    super();
  }

  async run([name]: string[], options: OutputOptions): Promise<void> {
    const policies: InstancePolicies | null = await this.instances.policies(name!);
    if (!policies) return failMissing(`instance ${name}`);
    print(policies, options, () => describePolicies(policies).join('\n'));
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
    if (!(await this.instances.delete(name!))) return failMissing(`instance ${name}`);
    print({ deleted: name }, options, () => `deleted ${name}`);
  }
}

const INSTANCE_SUBCOMMANDS: CommandList = [
  InstancesCreateCommand,
  InstancesShowCommand,
  InstancesDeleteCommand,
  InstancesListCommand,
  InstancesPoliciesCommand,
  InstancesSuspendCommand,
  InstancesResumeCommand,
];

@Command({ name: 'instances', description: 'manage instances', subCommands: INSTANCE_SUBCOMMANDS })
export class InstancesCommand extends CommandGroup {}

export const INSTANCE_COMMANDS: CommandList = [InstancesCommand, ...INSTANCE_SUBCOMMANDS];
