import {
  INSTANCE_API_SCOPES,
  MAX_SECRET_GRACE_SECONDS,
  SERVICE_ACCOUNT_STATUSES,
  ServiceAccountsService,
  type ServiceAccountPatch,
  type ServiceAccountView,
} from '@erp-id/accounts';
import { InstancesService } from '@erp-id/instances';
import type { InstanceEntity } from '@erp-id/persistence';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { collect, JsonOption, oneOf, wholeNumber } from '../cli-options';
import { fail, print, type OutputOptions } from '../output';
import { refusalMessage } from '../refusals';
import { describeRotation } from './clients.command';

/** The list is read in pages of this size. */
const LIST_PAGE = 200;

const describeAccount = (a: ServiceAccountView): string =>
  [
    `id:          ${a.id}`,
    `name:        ${a.name}`,
    `description: ${a.description ?? '-'}`,
    `scopes:      ${a.scopes.join(', ')}`,
    `status:      ${a.status}`,
    `client:      ${a.clientId}`,
    ...(a.previousSecretExpiresAt ? [`previous secret works until ${a.previousSecretExpiresAt}`] : []),
  ].join('\n');

abstract class ServiceAccountCommand extends JsonOption {
  constructor(
    protected readonly accounts: ServiceAccountsService,
    protected readonly instances: InstancesService,
  ) {
    super();
  }

  protected async withInstance(
    name: string,
    work: (instance: InstanceEntity) => Promise<void>,
  ): Promise<void> {
    const instance = await this.instances.findRow(name);
    if (!instance) return fail(`instance ${name} does not exist`);
    try {
      await work(instance);
    } catch (err) {
      const refusal = refusalMessage(err);
      if (refusal === null) throw err;
      fail(refusal);
    }
  }
}

const notFound = (id: string, instance: string): void =>
  fail(`service account ${id} does not exist in ${instance}`);

@SubCommand({
  name: 'create',
  arguments: '<instance> <name>',
  description: 'create a service account with its client; prints the secret once',
})
export class ServiceAccountsCreateCommand extends ServiceAccountCommand {
  constructor(accounts: ServiceAccountsService, instances: InstancesService) {
    super(accounts, instances);
  }

  async run(
    [instanceName, name]: string[],
    options: OutputOptions & { scope?: string[]; description?: string },
  ): Promise<void> {
    if (!options.scope?.length) return fail(`give at least one --scope (${INSTANCE_API_SCOPES.join(', ')})`);
    await this.withInstance(instanceName!, async (instance) => {
      const created = await this.accounts.create(instance, {
        name: name!,
        scopes: options.scope!,
        description: options.description,
      });
      print(created, options, () =>
        [
          `created service account ${created.name} in ${instanceName}`,
          describeAccount(created),
          `secret (shown once): ${created.clientSecret}`,
        ].join('\n'),
      );
    });
  }

  @Option({
    flags: '--scope <scope>',
    description: `API scope: ${INSTANCE_API_SCOPES.join(', ')} (repeatable)`,
  })
  parseScope(value: string, previous?: string[]): string[] {
    return collect(oneOf('--scope', INSTANCE_API_SCOPES, value), previous);
  }

  @Option({ flags: '--description <text>', description: 'what the account is for' })
  parseDescription(value: string): string {
    return value;
  }
}

@SubCommand({ name: 'list', arguments: '<instance>', description: "list an instance's service accounts" })
export class ServiceAccountsListCommand extends ServiceAccountCommand {
  constructor(accounts: ServiceAccountsService, instances: InstancesService) {
    super(accounts, instances);
  }

  async run([instanceName]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const items: ServiceAccountView[] = [];
      for (let offset = 0; ; offset += LIST_PAGE) {
        const page = await this.accounts.list(instance.id, { limit: LIST_PAGE, offset });
        items.push(...page.items);
        if (offset + LIST_PAGE >= page.total) break;
      }
      print({ items }, options, () =>
        items.length
          ? items.map((a) => `${a.id}  ${a.status.padEnd(8)}  ${a.name}  (${a.scopes.join(', ')})`).join('\n')
          : 'no service accounts',
      );
    });
  }
}

@SubCommand({ name: 'show', arguments: '<instance> <id>', description: 'show a service account' })
export class ServiceAccountsShowCommand extends ServiceAccountCommand {
  constructor(accounts: ServiceAccountsService, instances: InstancesService) {
    super(accounts, instances);
  }

  async run([instanceName, id]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const account = await this.accounts.get(instance.id, id!);
      if (!account) return notFound(id!, instanceName!);
      print(account, options, () => describeAccount(account));
    });
  }
}

interface UpdateOptions extends OutputOptions {
  description?: string;
  clearDescription?: boolean;
  scope?: string[];
  status?: (typeof SERVICE_ACCOUNT_STATUSES)[number];
}

@SubCommand({
  name: 'update',
  arguments: '<instance> <id>',
  description: 'change description, scopes or status (disabled: no new tokens, on every replica)',
})
export class ServiceAccountsUpdateCommand extends ServiceAccountCommand {
  constructor(accounts: ServiceAccountsService, instances: InstancesService) {
    super(accounts, instances);
  }

  async run([instanceName, id]: string[], options: UpdateOptions): Promise<void> {
    const patch: ServiceAccountPatch = {
      ...(options.description !== undefined ? { description: options.description } : {}),
      ...(options.clearDescription ? { description: null } : {}),
      ...(options.scope ? { scopes: options.scope } : {}),
      ...(options.status ? { status: options.status } : {}),
    };
    if (Object.keys(patch).length === 0)
      return fail('nothing to change: give at least one option (see --help)');
    await this.withInstance(instanceName!, async (instance) => {
      const account = await this.accounts.update(instance, id!, patch);
      if (!account) return notFound(id!, instanceName!);
      print(account, options, () => `updated\n${describeAccount(account)}`);
    });
  }

  @Option({ flags: '--description <text>', description: 'what the account is for' })
  parseDescription(value: string): string {
    return value;
  }

  @Option({ flags: '--clear-description', description: 'remove the description' })
  parseClearDescription(): boolean {
    return true;
  }

  @Option({ flags: '--scope <scope>', description: `API scope, replaces the list (repeatable)` })
  parseScope(value: string, previous?: string[]): string[] {
    return collect(oneOf('--scope', INSTANCE_API_SCOPES, value), previous);
  }

  @Option({ flags: '--status <status>', description: SERVICE_ACCOUNT_STATUSES.join(' or ') })
  parseStatus(value: string): string {
    return oneOf('--status', SERVICE_ACCOUNT_STATUSES, value);
  }
}

@SubCommand({
  name: 'delete',
  arguments: '<instance> <id>',
  description: 'delete a service account and its client',
})
export class ServiceAccountsDeleteCommand extends ServiceAccountCommand {
  constructor(accounts: ServiceAccountsService, instances: InstancesService) {
    super(accounts, instances);
  }

  async run([instanceName, id]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      if (!(await this.accounts.delete(instance, id!))) return notFound(id!, instanceName!);
      print({ deleted: id }, options, () => `deleted service account ${id} from ${instanceName}`);
    });
  }
}

@SubCommand({
  name: 'rotate-secret',
  arguments: '<instance> <id>',
  description: "give a service account's client a new secret (printed once)",
})
export class ServiceAccountsRotateSecretCommand extends ServiceAccountCommand {
  constructor(accounts: ServiceAccountsService, instances: InstancesService) {
    super(accounts, instances);
  }

  async run([instanceName, id]: string[], options: OutputOptions & { gracePeriod?: number }): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const rotated = await this.accounts.rotateSecret(instance, id!, options.gracePeriod ?? 0);
      if (!rotated) return notFound(id!, instanceName!);
      print(rotated, options, () => describeRotation(rotated.clientSecret, rotated.previousSecretExpiresAt));
    });
  }

  @Option({
    flags: '--grace-period <seconds>',
    description: `how long the old secret keeps working (0 to ${MAX_SECRET_GRACE_SECONDS}; default 0)`,
  })
  parseGracePeriod(value: string): number {
    return wholeNumber('--grace-period', value, 0, MAX_SECRET_GRACE_SECONDS);
  }
}

@Command({
  name: 'service-accounts',
  description: 'manage service accounts (client-credentials callers of the instance APIs)',
  subCommands: [
    ServiceAccountsCreateCommand,
    ServiceAccountsListCommand,
    ServiceAccountsShowCommand,
    ServiceAccountsUpdateCommand,
    ServiceAccountsDeleteCommand,
    ServiceAccountsRotateSecretCommand,
  ],
})
export class ServiceAccountsCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
