import {
  CustomDomainConflict,
  InstanceConflict,
  InstanceInputRejected,
  InstanceNameRejected,
  InstancePolicyRejected,
  InstancesService,
  type InstanceView,
} from '@erp-id/instances';
import type { InstanceStatus } from '@erp-id/persistence';
import type { InstancePolicies } from '@erp-id/policies';
import { Injectable } from '@nestjs/common';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { fail, print, type OutputOptions } from '../output';

const STATUSES: readonly InstanceStatus[] = ['active', 'suspended'];
/** The list is read in pages of this size, so a large fleet never sits in one query. */
const LIST_PAGE = 200;

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

/** The service's own refusals are messages for the user; anything else is a failure of the tool. */
function isRefusal(err: unknown): err is Error {
  return (
    err instanceof InstanceNameRejected ||
    err instanceof InstanceConflict ||
    err instanceof InstanceInputRejected ||
    err instanceof CustomDomainConflict ||
    err instanceof InstancePolicyRejected
  );
}

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
      if (isRefusal(err)) return fail(err.message);
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
    const items: InstanceView[] = [];
    for (let offset = 0; ; offset += LIST_PAGE) {
      const page = await this.instances.list({ limit: LIST_PAGE, offset, status });
      items.push(...page.items);
      if (page.items.length < LIST_PAGE || items.length >= page.total) break;
    }
    print(items, options, () =>
      items.length
        ? items
            .map((i) => `${i.name.padEnd(24)} ${i.status.padEnd(10)} ${i.displayName ?? ''}`.trimEnd())
            .join('\n')
        : 'no instances',
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
    if (!view) return fail(`instance ${name} does not exist`);
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
    if (!policies) return fail(`instance ${name} does not exist`);
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
    if (!(await this.instances.delete(name!))) return fail(`instance ${name} does not exist`);
    print({ deleted: name }, options, () => `deleted ${name}`);
  }
}

@Command({
  name: 'instances',
  description: 'manage instances',
  subCommands: [
    InstancesCreateCommand,
    InstancesListCommand,
    InstancesShowCommand,
    InstancesPoliciesCommand,
    InstancesSuspendCommand,
    InstancesResumeCommand,
    InstancesDeleteCommand,
  ],
})
export class InstancesCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
