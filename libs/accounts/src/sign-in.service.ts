import { Inject, Injectable } from '@nestjs/common';
import { AuditRecorder } from '@erp-id/audit';
import type { UserEntity } from '@erp-id/persistence';
import { type InstancePolicies, instancePolicies } from '@erp-id/policies';
import type { InstanceRecord } from '@erp-id/tenancy';
import { AccountLockout, type LockRule, type LockSubject } from './account-lockout';
import { countedAddress } from './client-address';
import { DECOY_PASSWORD_HASH } from './decoy-hash';
import { verifySecret } from './secret-hasher';
import { USER_LOOKUP, type UserLookup } from './user-lookup';

/** What sign-in needs of an instance. */
export type SignInInstance = Pick<InstanceRecord, 'id' | 'name' | 'policies'>;

export type SignInResult =
  | { outcome: 'success'; user: UserEntity }
  /** Unknown user, disabled user or wrong password: one answer, so none of them can be told apart. */
  | { outcome: 'invalid' }
  | { outcome: 'locked'; retryAfterSeconds: number };

export type SignInFailure = Exclude<SignInResult, { outcome: 'success' }>;

/**
 * One address may fail this many times the per-account limit before it is locked out: enough for
 * a household or an office behind one address, too few to try a password against many accounts.
 */
export const IP_ATTEMPTS_FACTOR = 4;

/**
 * Why an attempt ended as it did. The caller sees one answer for every failure; the audit log may
 * tell them apart (it is read by the hosting provider, not by whoever is trying passwords).
 */
type AttemptReason =
  | 'unknown_user'
  | 'wrong_password'
  | 'external_users_not_allowed'
  /** A wrong code at the second-factor step (counted like a wrong password). */
  | 'wrong_second_factor'
  /** Refused without looking at the password: a lock set earlier. */
  | 'address_locked'
  | 'account_locked';

interface Attempt {
  result: SignInResult;
  reason?: AttemptReason;
  user: UserEntity | null;
}

/** Password sign-in with lockout per account and per client address (the instance's lockout policy). */
@Injectable()
export class SignInService {
  constructor(
    @Inject(USER_LOOKUP) private readonly users: UserLookup,
    private readonly lockout: AccountLockout,
    private readonly audit: AuditRecorder,
  ) {}

  async attempt(
    instance: SignInInstance,
    username: string,
    password: string,
    clientIp: string,
  ): Promise<SignInResult> {
    const address = countedAddress(clientIp);
    const attempt = await this.decide(instance, username, password, address);
    await this.recordAttempt(instance, username, address, attempt);
    return attempt.result;
  }

  private async decide(
    instance: SignInInstance,
    username: string,
    password: string,
    clientAddress: string,
  ): Promise<Attempt> {
    const policies = instancePolicies(instance.policies);
    const address: LockSubject = { kind: 'ip', address: clientAddress };
    const addressLock = await this.lockout.lockedFor(instance.name, address);
    if (addressLock > 0) {
      return {
        result: { outcome: 'locked', retryAfterSeconds: addressLock },
        reason: 'address_locked',
        user: null,
      };
    }

    const user = await this.users.findActiveByUsername(instance.id, username);
    if (user === null) {
      await verifySecret(DECOY_PASSWORD_HASH, password);
      return { ...(await this.failed(instance.name, policies.lockout, address, null, 'unknown_user')), user };
    }
    const account: LockSubject = { kind: 'user', id: user.id };
    // Checked before the password, so a locked account cannot be used to test passwords.
    const accountLock = await this.lockout.lockedFor(instance.name, account);
    if (accountLock > 0) {
      return {
        result: { outcome: 'locked', retryAfterSeconds: accountLock },
        reason: 'account_locked',
        user,
      };
    }

    if (!(await verifySecret(user.passwordHash, password))) {
      return {
        ...(await this.failed(instance.name, policies.lockout, address, account, 'wrong_password')),
        user,
      };
    }
    await this.lockout.forgetFailures(instance.name, account);
    // The right password, but the instance lets only internal users in: the same answer as any failure.
    if (user.kind === 'external' && !policies.externalUsersAllowed) {
      return { result: { outcome: 'invalid' }, reason: 'external_users_not_allowed', user };
    }
    return { result: { outcome: 'success', user }, user };
  }

  /**
   * One audit row per attempt. The actor is the account when there is one, else the name that was
   * typed (never the password); the recorder swallows its own failures, so sign-in goes on.
   */
  private recordAttempt(
    instance: SignInInstance,
    username: string,
    sourceAddress: string,
    { result, reason, user }: Attempt,
  ): Promise<void> {
    const action =
      result.outcome === 'success'
        ? 'sign_in.succeeded'
        : result.outcome === 'locked'
          ? 'sign_in.locked_out'
          : 'sign_in.failed';
    const details: Record<string, unknown> = {
      ...(reason ? { reason } : {}),
      ...(result.outcome === 'locked' ? { retryAfterSeconds: result.retryAfterSeconds } : {}),
    };
    return this.audit.record(
      {
        instanceId: instance.id,
        actor: user?.username ?? username.trim(),
        action,
        target: user ? { type: 'user', id: user.id } : null,
        sourceAddress,
        details,
      },
      'sign_in',
    );
  }

  /**
   * Seconds the account or the client address is locked for; 0 when neither is. The second-factor
   * step asks before it checks a code, so a locked account cannot be used to test codes.
   */
  async lockedFor(instanceName: string, userId: string, clientIp: string): Promise<number> {
    const [account, address] = await Promise.all([
      this.lockout.lockedFor(instanceName, { kind: 'user', id: userId }),
      this.lockout.lockedFor(instanceName, { kind: 'ip', address: countedAddress(clientIp) }),
    ]);
    return Math.max(account, address);
  }

  /**
   * A wrong second-factor code counts like a wrong password, for the address and for the account
   * (in a count a correct password does not reset; see LockSubject).
   */
  async secondFactorFailed(
    instance: SignInInstance,
    userId: string,
    clientIp: string,
  ): Promise<SignInFailure> {
    const policy = instancePolicies(instance.policies).lockout;
    const { result } = await this.failed(
      instance.name,
      policy,
      { kind: 'ip', address: countedAddress(clientIp) },
      { kind: 'second-factor', id: userId },
      'wrong_second_factor',
    );
    return result;
  }

  /** After a correct second factor its count of failures starts afresh. */
  secondFactorPassed(instanceName: string, userId: string): Promise<void> {
    return this.lockout.forgetFailures(instanceName, { kind: 'second-factor', id: userId });
  }

  /** Lifts the user's lock and forgets its failures. */
  unlock(instanceName: string, userId: string): Promise<void> {
    return this.lockout.clear(instanceName, { kind: 'user', id: userId });
  }

  /**
   * Counts the failure for the address and the account; a failure that locks either says so (its
   * reason stays the failure's own, so the audit log shows what set the lock).
   */
  private async failed(
    instance: string,
    policy: InstancePolicies['lockout'],
    address: LockSubject,
    account: LockSubject | null,
    reason: AttemptReason,
  ): Promise<{ result: SignInFailure; reason: AttemptReason }> {
    const window = { windowSeconds: policy.windowSeconds, durationSeconds: policy.durationSeconds };
    const addressRule: LockRule = { ...window, threshold: policy.maxAttempts * IP_ATTEMPTS_FACTOR };
    const accountRule: LockRule = { ...window, threshold: policy.maxAttempts };
    const [addressLock, accountLock] = await Promise.all([
      this.lockout.recordFailure(instance, address, addressRule),
      account === null ? 0 : this.lockout.recordFailure(instance, account, accountRule),
    ]);
    const retryAfterSeconds = Math.max(addressLock, accountLock);
    return retryAfterSeconds > 0
      ? { result: { outcome: 'locked', retryAfterSeconds }, reason }
      : { result: { outcome: 'invalid' }, reason };
  }
}
