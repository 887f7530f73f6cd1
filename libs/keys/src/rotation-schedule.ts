import type { KeyPolicy } from './key-policy';
import { activeSince, compareForSigning, type SigningKeyDates } from './signing-order';

/** A key as the schedule sees it. */
export type ScheduledKey = SigningKeyDates & { alg: string };

/** What the automatic job should do for one instance right now. */
export interface ScheduledWork {
  /** The active key reached its age (or there is none): replace it. */
  rotate: boolean;
  /** Rotation is near and no next key of the policy's algorithm is published yet. */
  prepareNext: boolean;
  /** Some retired key outlived every token it could have signed. */
  prune: boolean;
}

/** Retired keys past retention. A retired key without a retirement time is kept: its age is unknown. */
export function expiredRetiredKeys<K extends ScheduledKey>(
  keys: readonly K[],
  policy: Pick<KeyPolicy, 'retainRetiredMs'>,
  now: Date,
): K[] {
  return keys.filter(
    (k) => k.state === 'retired' && k.retiredAt !== null && +k.retiredAt + policy.retainRetiredMs < +now,
  );
}

export function scheduledWork(keys: readonly ScheduledKey[], policy: KeyPolicy, now: Date): ScheduledWork {
  const prune = expiredRetiredKeys(keys, policy, now).length > 0;
  const active = keys.filter((k) => k.state === 'active').sort(compareForSigning)[0];
  if (!active) return { rotate: true, prepareNext: false, prune };
  const age = +now - +activeSince(active);
  const rotate = age >= policy.rotateAfterMs;
  const nextPublished = keys.some((k) => k.state === 'next' && k.alg === policy.signingAlgorithm);
  const prepareNext = !rotate && !nextPublished && age >= policy.rotateAfterMs - policy.publishNextBeforeMs;
  return { rotate, prepareNext, prune };
}
