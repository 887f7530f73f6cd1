import { Inject, Injectable } from '@nestjs/common';
import type { UserEntity } from '@erp-id/persistence';
import { type InstancePolicies, instancePolicies } from '@erp-id/policies';
import type { InstanceRecord } from '@erp-id/tenancy';
import { AccountLockout, type LockRule, type LockSubject } from './account-lockout';
import { canonicalAddress } from './client-address';
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

/**
 * One address may fail this many times the per-account limit before it is locked out: enough for
 * a household or an office behind one address, too few to try a password against many accounts.
 */
export const IP_ATTEMPTS_FACTOR = 4;

/** Password sign-in with lockout per account and per client address (the instance's lockout policy). */
@Injectable()
export class SignInService {
  constructor(
    @Inject(USER_LOOKUP) private readonly users: UserLookup,
    private readonly lockout: AccountLockout,
  ) {}

  async attempt(
    instance: SignInInstance,
    username: string,
    password: string,
    clientIp: string,
  ): Promise<SignInResult> {
    const policy = instancePolicies(instance.policies).lockout;
    const address: LockSubject = { kind: 'ip', address: canonicalAddress(clientIp) };
    const addressLock = await this.lockout.lockedFor(instance.name, address);
    if (addressLock > 0) return { outcome: 'locked', retryAfterSeconds: addressLock };

    const user = await this.users.findActiveByUsername(instance.id, username);
    if (user === null) {
      await verifySecret(DECOY_PASSWORD_HASH, password);
      return this.failed(instance.name, policy, address, null);
    }
    const account: LockSubject = { kind: 'user', id: user.id };
    // Checked before the password, so a locked account cannot be used to test passwords.
    const accountLock = await this.lockout.lockedFor(instance.name, account);
    if (accountLock > 0) return { outcome: 'locked', retryAfterSeconds: accountLock };

    if (!(await verifySecret(user.passwordHash, password))) {
      return this.failed(instance.name, policy, address, account);
    }
    await this.lockout.forgetFailures(instance.name, account);
    return { outcome: 'success', user };
  }

  /**
   * Seconds the account or the client address is locked for; 0 when neither is. The second-factor
   * step asks before it checks a code, so a locked account cannot be used to test codes.
   */
  async lockedFor(instanceName: string, userId: string, clientIp: string): Promise<number> {
    const [account, address] = await Promise.all([
      this.lockout.lockedFor(instanceName, { kind: 'user', id: userId }),
      this.lockout.lockedFor(instanceName, { kind: 'ip', address: canonicalAddress(clientIp) }),
    ]);
    return Math.max(account, address);
  }

  /**
   * A wrong second-factor code counts like a wrong password, for the address and for the account
   * (in a count a correct password does not reset; see LockSubject).
   */
  secondFactorFailed(
    instance: SignInInstance,
    userId: string,
    clientIp: string,
  ): Promise<Exclude<SignInResult, { outcome: 'success' }>> {
    const policy = instancePolicies(instance.policies).lockout;
    return this.failed(
      instance.name,
      policy,
      { kind: 'ip', address: canonicalAddress(clientIp) },
      { kind: 'second-factor', id: userId },
    );
  }

  /** After a correct second factor its count of failures starts afresh. */
  secondFactorPassed(instanceName: string, userId: string): Promise<void> {
    return this.lockout.forgetFailures(instanceName, { kind: 'second-factor', id: userId });
  }

  /** Lifts the user's lock and forgets its failures. */
  unlock(instanceName: string, userId: string): Promise<void> {
    return this.lockout.clear(instanceName, { kind: 'user', id: userId });
  }

  /** Counts the failure for the address and the account; a failure that locks either says so. */
  private async failed(
    instance: string,
    policy: InstancePolicies['lockout'],
    address: LockSubject,
    account: LockSubject | null,
  ): Promise<Exclude<SignInResult, { outcome: 'success' }>> {
    const window = { windowSeconds: policy.windowSeconds, durationSeconds: policy.durationSeconds };
    const addressRule: LockRule = { ...window, threshold: policy.maxAttempts * IP_ATTEMPTS_FACTOR };
    const accountRule: LockRule = { ...window, threshold: policy.maxAttempts };
    const [addressLock, accountLock] = await Promise.all([
      this.lockout.recordFailure(instance, address, addressRule),
      account === null ? 0 : this.lockout.recordFailure(instance, account, accountRule),
    ]);
    const retryAfterSeconds = Math.max(addressLock, accountLock);
    return retryAfterSeconds > 0 ? { outcome: 'locked', retryAfterSeconds } : { outcome: 'invalid' };
  }
}
