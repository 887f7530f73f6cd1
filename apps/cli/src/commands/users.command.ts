import {
  USER_KINDS,
  USER_STATUSES,
  UsersService,
  type UserDetails,
  type UserPatch,
  type UserView,
} from '@erp-id/accounts';
import { InstancesService } from '@erp-id/instances';
import type { UserKind, UserStatus } from '@erp-id/persistence';
import { Injectable } from '@nestjs/common';
import { Command, Option, SubCommand } from 'nest-commander';
import { oneOf, readSecretFromStdin, refuseEmptyPatch, wholeNumber } from '../cli-options';
import { CommandGroup, type CommandList } from '../command-group';
import { InstanceScopedCommand } from '../instance-scoped-command';
import { fail, failMissing, print, type OutputOptions } from '../output';
import { UsersResetFactorsCommand } from './user-factors.command';

const describeUser = (u: UserView | UserDetails): string =>
  [
    `id:       ${u.id}`,
    `username: ${u.username}`,
    `name:     ${u.name ?? '-'}`,
    `email:    ${u.email ?? '-'}`,
    `kind:     ${u.kind}`,
    `status:   ${u.status}`,
    ...('locked' in u ? [`locked:   ${u.locked ? 'yes' : 'no'}`] : []),
  ].join('\n');

/** User commands: the users service, inside an instance. */
@Injectable()
abstract class UserCommand extends InstanceScopedCommand {
  constructor(
    protected readonly users: UsersService,
    instances: InstancesService,
  ) {
    super(instances);
  }
}

interface CreateOptions extends OutputOptions {
  kind?: UserKind;
  email?: string;
  name?: string;
  passwordStdin?: boolean;
}

@SubCommand({
  name: 'create',
  arguments: '<instance> <username>',
  description: 'create a user; the password is read from stdin (--password-stdin)',
})
export class UsersCreateCommand extends UserCommand {
  async run([instanceName, username]: string[], options: CreateOptions): Promise<void> {
    if (!options.kind) return fail(`give --kind (${USER_KINDS.join(' or ')})`);
    // Never a password option: it would show in the process list and the shell history.
    if (!options.passwordStdin) return fail('give the password on stdin with --password-stdin');
    const password = await readSecretFromStdin('the password');
    await this.withInstance(instanceName!, async (instance) => {
      const user = await this.users.create(instance, {
        username: username!,
        password,
        kind: options.kind!,
        email: options.email,
        name: options.name,
      });
      print(user, options, () => `created user\n${describeUser(user)}`);
    });
  }

  @Option({
    flags: '--kind <kind>',
    description: `${USER_KINDS.join(' or ')} (internal users may use the APIs)`,
  })
  parseKind(value: string): string {
    return oneOf('--kind', USER_KINDS, value);
  }

  @Option({ flags: '--email <address>', description: 'e-mail address' })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '--name <text>', description: 'display name' })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '--password-stdin', description: 'read the password from the first line of stdin' })
  parsePasswordStdin(): boolean {
    return true;
  }
}

@SubCommand({ name: 'list', arguments: '<instance>', description: "list an instance's users, oldest first" })
export class UsersListCommand extends UserCommand {
  async run(
    [instanceName]: string[],
    options: OutputOptions & { limit?: number; offset?: number },
  ): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const limit = options.limit ?? 50;
      const offset = options.offset ?? 0;
      const page = await this.users.list(instance.id, { limit, offset });
      print({ ...page, limit, offset }, options, () =>
        [
          ...page.items.map((u) => `${u.id}  ${u.kind.padEnd(8)}  ${u.status.padEnd(8)}  ${u.username}`),
          `${page.items.length} of ${page.total}`,
        ].join('\n'),
      );
    });
  }

  @Option({ flags: '--limit <n>', description: 'page size (1 to 200, default 50)' })
  parseLimit(value: string): number {
    return wholeNumber('--limit', value, 1, 200);
  }

  @Option({ flags: '--offset <n>', description: 'users to skip' })
  parseOffset(value: string): number {
    return wholeNumber('--offset', value, 0, 1_000_000_000);
  }
}

@SubCommand({
  name: 'show',
  arguments: '<instance> <id>',
  description: 'show a user (with its sign-in lock)',
})
export class UsersShowCommand extends UserCommand {
  async run([instanceName, id]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const user = await this.users.getDetails(instance, id!);
      if (!user) return failMissing(`user ${id}`, instanceName!);
      print(user, options, () => describeUser(user));
    });
  }
}

interface UpdateOptions extends OutputOptions {
  kind?: UserKind;
  status?: UserStatus;
  email?: string;
  clearEmail?: boolean;
  name?: string;
  clearName?: boolean;
  passwordStdin?: boolean;
}

@SubCommand({
  name: 'update',
  arguments: '<instance> <id>',
  description: "change a user; disabling, a new password or becoming external ends the user's sessions",
})
export class UsersUpdateCommand extends UserCommand {
  async run([instanceName, id]: string[], options: UpdateOptions): Promise<void> {
    const patch: UserPatch = {
      ...(options.kind ? { kind: options.kind } : {}),
      ...(options.status ? { status: options.status } : {}),
      ...(options.email !== undefined ? { email: options.email } : {}),
      ...(options.clearEmail ? { email: null } : {}),
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(options.clearName ? { name: null } : {}),
      ...(options.passwordStdin ? { password: await readSecretFromStdin('the password') } : {}),
    };
    if (refuseEmptyPatch(patch)) return;
    await this.withInstance(instanceName!, async (instance) => {
      const user = await this.users.update(instance, id!, patch);
      if (!user) return failMissing(`user ${id}`, instanceName!);
      print(user, options, () => `updated\n${describeUser(user)}`);
    });
  }

  @Option({ flags: '--kind <kind>', description: USER_KINDS.join(' or ') })
  parseKind(value: string): string {
    return oneOf('--kind', USER_KINDS, value);
  }

  @Option({ flags: '--status <status>', description: USER_STATUSES.join(' or ') })
  parseStatus(value: string): string {
    return oneOf('--status', USER_STATUSES, value);
  }

  @Option({ flags: '--email <address>', description: 'e-mail address' })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '--clear-email', description: 'remove the e-mail address' })
  parseClearEmail(): boolean {
    return true;
  }

  @Option({ flags: '--name <text>', description: 'display name' })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '--clear-name', description: 'remove the display name' })
  parseClearName(): boolean {
    return true;
  }

  @Option({ flags: '--password-stdin', description: 'read a new password from the first line of stdin' })
  parsePasswordStdin(): boolean {
    return true;
  }
}

@SubCommand({ name: 'delete', arguments: '<instance> <id>', description: 'delete a user; ends its sessions' })
export class UsersDeleteCommand extends UserCommand {
  async run([instanceName, id]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      if (!(await this.users.delete(instance, id!))) return failMissing(`user ${id}`, instanceName!);
      print({ deleted: id }, options, () => `deleted user ${id} from ${instanceName}`);
    });
  }
}

@SubCommand({ name: 'unlock', arguments: '<instance> <id>', description: 'lift a sign-in lock' })
export class UsersUnlockCommand extends UserCommand {
  async run([instanceName, id]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const user = await this.users.update(instance, id!, { unlock: true });
      if (!user) return failMissing(`user ${id}`, instanceName!);
      print(user, options, () => `unlocked\n${describeUser(user)}`);
    });
  }
}

const USER_SUBCOMMANDS: CommandList = [
  UsersCreateCommand,
  UsersListCommand,
  UsersShowCommand,
  UsersUpdateCommand,
  UsersDeleteCommand,
  UsersUnlockCommand,
  UsersResetFactorsCommand,
];

@Command({ name: 'users', description: "manage an instance's users", subCommands: USER_SUBCOMMANDS })
export class UsersCommand extends CommandGroup {}

export const USER_COMMANDS: CommandList = [UsersCommand, ...USER_SUBCOMMANDS];
