import { Inject, Injectable } from '@nestjs/common';
import { COUNTER_STORE, type CounterStore } from '@erp-id/state';

/**
 * Who failed to sign in: an account (by id), a client address, or an account's second factor. The
 * second factor counts apart from the password, because a correct password forgets the account's
 * failures: someone who knows the password must not be able to reset the count of wrong codes by
 * signing in again. Its lock is the account's lock.
 */
export type LockSubject =
  { kind: 'user'; id: string } | { kind: 'ip'; address: string } | { kind: 'second-factor'; id: string };

export interface LockRule {
  /** Failures within the window that lock the subject. */
  threshold: number;
  windowSeconds: number;
  durationSeconds: number;
}

const subjectKey = (subject: LockSubject): string =>
  subject.kind === 'ip'
    ? `ip:${subject.address}`
    : `${subject.kind === 'user' ? 'user' : 'otp'}:${subject.id}`;
const failureKey = (subject: LockSubject): string => `signin-fail:${subjectKey(subject)}`;
const lockKey = (subject: LockSubject): string =>
  `signin-lock:${subject.kind === 'ip' ? `ip:${subject.address}` : `user:${subject.id}`}`;

/**
 * Failure counters and locks of sign-in, in the instance's counter store so every replica counts
 * the same failures and honours the same locks. A lock is a flag that expires by itself.
 */
@Injectable()
export class AccountLockout {
  constructor(@Inject(COUNTER_STORE) private readonly counters: CounterStore) {}

  /** Seconds the subject stays locked; 0 when it is not. */
  lockedFor(instance: string, subject: LockSubject): Promise<number> {
    return this.counters.flagTtl(instance, lockKey(subject));
  }

  /**
   * Counts a failure; reaching the threshold locks the subject for the rule's duration and starts
   * its count afresh, so the lock's end gives back the full number of attempts.
   * Returns the seconds of the lock this failure set, 0 when it set none.
   */
  async recordFailure(instance: string, subject: LockSubject, rule: LockRule): Promise<number> {
    const failures = await this.counters.hit(instance, failureKey(subject), rule.windowSeconds);
    if (failures < rule.threshold) return 0;
    await this.counters.setFlag(instance, lockKey(subject), rule.durationSeconds);
    await this.counters.reset(instance, failureKey(subject));
    return rule.durationSeconds;
  }

  /** Forgets the failures (after a successful sign-in); a lock stays. */
  forgetFailures(instance: string, subject: LockSubject): Promise<void> {
    return this.counters.reset(instance, failureKey(subject));
  }

  /** Lifts a lock and forgets the failures (an administrator's unlock). */
  async clear(instance: string, subject: LockSubject): Promise<void> {
    await this.counters.clearFlag(instance, lockKey(subject));
    await this.counters.reset(instance, failureKey(subject));
    if (subject.kind === 'user') {
      await this.counters.reset(instance, failureKey({ kind: 'second-factor', id: subject.id }));
    }
  }
}
