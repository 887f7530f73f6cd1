import { Inject, Injectable } from '@nestjs/common';
import { UserEntity, type UserKind, type UserStatus } from '@erp-id/persistence';
import { STATE_STORE, type StateStore } from '@erp-id/state';
import { DataSource } from 'typeorm';
import { AccountLockout } from './account-lockout';
import { checkPasswordPolicy } from './password-policy';
import { hashSecret } from './secret-hasher';
import { isUniqueViolation } from './unique-violation';
import type { UserLookup } from './user-lookup';
import {
  USERNAME_MAX_LENGTH,
  checkDisplayName,
  checkEmail,
  checkPassword,
  checkUsername,
  isUserId,
  normalizeUsername,
} from './user-rules';
import { type UserDetails, type UserPage, type UserView, toUserView } from './user-view';

export class UserConflict extends Error {
  override readonly name = 'UserConflict';
}

/** The instance a user belongs to: its id keys the rows, its name the state store, its policies the password rules. */
export interface UserInstance {
  id: string;
  name: string;
  policies: unknown;
}

export interface CreateUserInput {
  username: string;
  password: string;
  kind: UserKind;
  email?: string;
  name?: string;
}

/** A change to a user; `null` clears the e-mail address or the display name. */
export interface UserPatch {
  password?: string;
  kind?: UserKind;
  status?: UserStatus;
  email?: string | null;
  name?: string | null;
  /** Lifts a sign-in lock and forgets the failures counted so far. */
  unlock?: true;
}

export interface PageRequest {
  limit: number;
  offset: number;
}

/**
 * The users of an instance. Every change that takes rights away (disabling, a new password,
 * internal becoming external) ends the user's sessions and grants at once, on every replica.
 */
@Injectable()
export class UsersService implements UserLookup {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(STATE_STORE) private readonly state: StateStore,
    private readonly lockout: AccountLockout,
  ) {}

  async create(instance: UserInstance, input: CreateUserInput): Promise<UserView> {
    const { username, normalized } = checkUsername(input.username);
    checkPassword(input.password);
    checkPasswordPolicy(input.password, username, instance.policies);
    const email = checkEmail(input.email ?? null);
    const displayName = checkDisplayName(input.name ?? null);
    const passwordHash = await hashSecret(input.password);
    const repo = this.dataSource.getRepository(UserEntity);
    try {
      const saved = await repo.save(
        repo.create({
          instanceId: instance.id,
          username,
          usernameNormalized: normalized,
          displayName,
          email,
          kind: input.kind,
          status: 'active',
          passwordHash,
          passwordChangedAt: new Date(),
        }),
      );
      return toUserView(saved);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new UserConflict(`a user named ${username} already exists in ${instance.name}`);
      }
      throw err;
    }
  }

  /** A page of users, oldest first (the id breaks ties, so pages never overlap). */
  async list(instanceId: string, page: PageRequest): Promise<UserPage> {
    const [rows, total] = await this.dataSource.getRepository(UserEntity).findAndCount({
      where: { instanceId },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items: rows.map(toUserView), total };
  }

  async get(instanceId: string, id: string): Promise<UserView | null> {
    const row = await this.findRow(instanceId, id);
    return row === null ? null : toUserView(row);
  }

  /** The user with the state of its sign-in lock. */
  async getDetails(instance: UserInstance, id: string): Promise<UserDetails | null> {
    const row = await this.findRow(instance.id, id);
    return row === null ? null : this.details(instance, row);
  }

  async update(instance: UserInstance, id: string, patch: UserPatch): Promise<UserDetails | null> {
    const row = await this.findRow(instance.id, id);
    if (row === null) return null;
    // Every field is checked before anything changes or the slow hash runs.
    if (patch.password !== undefined) {
      checkPassword(patch.password);
      checkPasswordPolicy(patch.password, row.username, instance.policies);
    }
    const email = patch.email === undefined ? row.email : checkEmail(patch.email);
    const displayName = patch.name === undefined ? row.displayName : checkDisplayName(patch.name);
    const endSessions =
      patch.password !== undefined ||
      patch.status === 'disabled' ||
      (row.kind === 'internal' && patch.kind === 'external');
    if (patch.password !== undefined) {
      row.passwordHash = await hashSecret(patch.password);
      row.passwordChangedAt = new Date();
    }
    row.email = email;
    row.displayName = displayName;
    if (patch.kind !== undefined) row.kind = patch.kind;
    if (patch.status !== undefined) row.status = patch.status;
    const saved = await this.dataSource.getRepository(UserEntity).save(row);
    // After the row is saved: a session started meanwhile was started under the old rules and is
    // ended here, and a new one is already refused. A failure here fails the request, and
    // repeating the same change ends the sessions again.
    if (endSessions) await this.state.revokeAccount(instance.name, id);
    if (patch.unlock) await this.lockout.clear(instance.name, { kind: 'user', id });
    return this.details(instance, saved);
  }

  /** Removes the user with its sessions, grants and sign-in counters; false when there is no such user. */
  async delete(instance: UserInstance, id: string): Promise<boolean> {
    if (!isUserId(id)) return false;
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(UserEntity);
      const row = await repo.findOneBy({ instanceId: instance.id, id });
      if (row === null) return false;
      await repo.delete({ instanceId: instance.id, id });
      // Inside the transaction: when the state store fails, the row stays and a retry can finish.
      await this.state.revokeAccount(instance.name, id);
      await this.lockout.clear(instance.name, { kind: 'user', id });
      return true;
    });
  }

  /** The account the issuer serves claims for: active users only, scoped by instance. */
  findForIssuer(instanceId: string, userId: string): Promise<UserEntity | null> {
    if (!isUserId(userId)) return Promise.resolve(null);
    return this.dataSource.getRepository(UserEntity).findOneBy({ instanceId, id: userId, status: 'active' });
  }

  findActiveByUsername(instanceId: string, username: string): Promise<UserEntity | null> {
    const usernameNormalized = normalizeUsername(username);
    if (usernameNormalized.length === 0 || usernameNormalized.length > USERNAME_MAX_LENGTH) {
      return Promise.resolve(null);
    }
    return this.dataSource
      .getRepository(UserEntity)
      .findOneBy({ instanceId, usernameNormalized, status: 'active' });
  }

  private findRow(instanceId: string, id: string): Promise<UserEntity | null> {
    if (!isUserId(id)) return Promise.resolve(null);
    return this.dataSource.getRepository(UserEntity).findOneBy({ instanceId, id });
  }

  private async details(instance: UserInstance, row: UserEntity): Promise<UserDetails> {
    const lockedFor = await this.lockout.lockedFor(instance.name, { kind: 'user', id: row.id });
    return { ...toUserView(row), locked: lockedFor > 0 };
  }
}
