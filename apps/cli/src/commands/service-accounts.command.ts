import {
  type InstanceApiScope,
  SERVICE_ACCOUNT_STATUSES,
  ServiceAccountsService,
  type ServiceAccountPatch,
  type ServiceAccountView,
} from '@erp-id/accounts';
import { InstancesService } from '@erp-id/instances';
import { Injectable } from '@nestjs/common';
import { Command, Option, SubCommand } from 'nest-commander';
import { API_SCOPE_OPTION, API_SCOPE_REQUIRED, collectApiScope } from '../api-scope-option';
import { oneOf, refuseEmptyPatch } from '../cli-options';
import { CommandGroup, type CommandList } from '../command-group';
import { InstanceScopedCommand } from '../instance-scoped-command';
import { fail, failMissing, linesOrNone, print, type OutputOptions } from '../output';
import { readAllPages } from '../read-all-pages';
import {
  describeRotation,
  GRACE_PERIOD_OPTION,
  parseGracePeriod,
  type RotateSecretOptions,
} from '../secret-rotation';

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

/** Service account commands: the service accounts service, inside an instance. */
@Injectable()
abstract class ServiceAccountCommand extends InstanceScopedCommand {
  constructor(
    protected readonly accounts: ServiceAccountsService,
    instances: InstancesService,
  ) {
    super(instances);
  }
}

@SubCommand({
  name: 'create',
  arguments: '<instance> <name>',
  description: 'create a service account with its client; prints the secret once',
})
export class ServiceAccountsCreateCommand extends ServiceAccountCommand {
  async run(
    [instanceName, name]: string[],
    options: OutputOptions & { scope?: InstanceApiScope[]; description?: string },
  ): Promise<void> {
    if (!options.scope?.length) return fail(API_SCOPE_REQUIRED);
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

  @Option(API_SCOPE_OPTION)
  parseScope(value: string, previous?: InstanceApiScope[]): InstanceApiScope[] {
    return collectApiScope(value, previous);
  }

  @Option({ flags: '--description <text>', description: 'what the account is for' })
  parseDescription(value: string): string {
    return value;
  }
}

@SubCommand({ name: 'list', arguments: '<instance>', description: "list an instance's service accounts" })
export class ServiceAccountsListCommand extends ServiceAccountCommand {
  async run([instanceName]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const items = await readAllPages((window) => this.accounts.list(instance.id, window));
      print({ items }, options, () =>
        linesOrNone(
          items,
          (a) => `${a.id}  ${a.status.padEnd(8)}  ${a.name}  (${a.scopes.join(', ')})`,
          'no service accounts',
        ),
      );
    });
  }
}

@SubCommand({ name: 'show', arguments: '<instance> <id>', description: 'show a service account' })
export class ServiceAccountsShowCommand extends ServiceAccountCommand {
  async run([instanceName, id]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const account = await this.accounts.get(instance.id, id!);
      if (!account) return failMissing(`service account ${id}`, instanceName!);
      print(account, options, () => describeAccount(account));
    });
  }
}

interface UpdateOptions extends OutputOptions {
  description?: string;
  clearDescription?: boolean;
  scope?: InstanceApiScope[];
  status?: (typeof SERVICE_ACCOUNT_STATUSES)[number];
}

@SubCommand({
  name: 'update',
  arguments: '<instance> <id>',
  description: 'change description, scopes or status (disabled: no new tokens, on every replica)',
})
export class ServiceAccountsUpdateCommand extends ServiceAccountCommand {
  async run([instanceName, id]: string[], options: UpdateOptions): Promise<void> {
    const patch: ServiceAccountPatch = {
      ...(options.description !== undefined ? { description: options.description } : {}),
      ...(options.clearDescription ? { description: null } : {}),
      ...(options.scope ? { scopes: options.scope } : {}),
      ...(options.status ? { status: options.status } : {}),
    };
    if (refuseEmptyPatch(patch)) return;
    await this.withInstance(instanceName!, async (instance) => {
      const account = await this.accounts.update(instance, id!, patch);
      if (!account) return failMissing(`service account ${id}`, instanceName!);
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
  parseScope(value: string, previous?: InstanceApiScope[]): InstanceApiScope[] {
    return collectApiScope(value, previous);
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
  async run([instanceName, id]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      if (!(await this.accounts.delete(instance, id!)))
        return failMissing(`service account ${id}`, instanceName!);
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
  async run([instanceName, id]: string[], options: RotateSecretOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const rotated = await this.accounts.rotateSecret(instance, id!, options.gracePeriod ?? 0);
      if (!rotated) return failMissing(`service account ${id}`, instanceName!);
      print(rotated, options, () => describeRotation(rotated.clientSecret, rotated.previousSecretExpiresAt));
    });
  }

  @Option(GRACE_PERIOD_OPTION)
  parseGracePeriod(value: string): number {
    return parseGracePeriod(value);
  }
}

const SERVICE_ACCOUNT_SUBCOMMANDS: CommandList = [
  ServiceAccountsCreateCommand,
  ServiceAccountsListCommand,
  ServiceAccountsShowCommand,
  ServiceAccountsUpdateCommand,
  ServiceAccountsDeleteCommand,
  ServiceAccountsRotateSecretCommand,
];

@Command({
  name: 'service-accounts',
  description: 'manage service accounts (client-credentials callers of the instance APIs)',
  subCommands: SERVICE_ACCOUNT_SUBCOMMANDS,
})
export class ServiceAccountsCommand extends CommandGroup {}

export const SERVICE_ACCOUNT_COMMANDS: CommandList = [ServiceAccountsCommand, ...SERVICE_ACCOUNT_SUBCOMMANDS];
