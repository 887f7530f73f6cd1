import { keyPolicyOf, type KeyPolicy } from './key-policy';
import { expiredRetiredKeys, scheduledWork, type ScheduledKey } from './rotation-schedule';

const DAY_MS = 24 * 3600 * 1000;
const NOW = new Date('2026-06-01T12:00:00Z');
const daysAgo = (days: number): Date => new Date(+NOW - days * DAY_MS);

const policy: KeyPolicy = {
  signingAlgorithm: 'RS256',
  rotateAfterMs: 90 * DAY_MS,
  publishNextBeforeMs: 7 * DAY_MS,
  retainRetiredMs: 2 * DAY_MS,
};

const key = (
  state: ScheduledKey['state'],
  activeDaysAgo: number,
  extra: Partial<ScheduledKey> = {},
): ScheduledKey => ({
  state,
  alg: 'RS256',
  createdAt: daysAgo(activeDaysAgo),
  activatedAt: state === 'next' ? null : daysAgo(activeDaysAgo),
  retiredAt: null,
  ...extra,
});

describe('scheduledWork', () => {
  it('does nothing for a young active key', () => {
    expect(scheduledWork([key('active', 10)], policy, NOW)).toEqual({
      rotate: false,
      prepareNext: false,
      prune: false,
    });
  });

  it('publishes the next key inside the lead time, once', () => {
    expect(scheduledWork([key('active', 84)], policy, NOW).prepareNext).toBe(true);
    expect(scheduledWork([key('active', 84), key('next', 1)], policy, NOW).prepareNext).toBe(false);
    // A next key of another algorithm (the policy changed since) does not count.
    expect(
      scheduledWork([key('active', 84), key('next', 1, { alg: 'ES256' })], policy, NOW).prepareNext,
    ).toBe(true);
  });

  it('rotates an active key at its age, or when there is none', () => {
    expect(scheduledWork([key('active', 90)], policy, NOW)).toMatchObject({
      rotate: true,
      prepareNext: false,
    });
    expect(scheduledWork([key('retired', 200, { retiredAt: daysAgo(1) })], policy, NOW).rotate).toBe(true);
  });

  it('counts the age from activation, not creation (a next key waited before it signed)', () => {
    const promoted = key('active', 10, { createdAt: daysAgo(100) });
    expect(scheduledWork([promoted], policy, NOW).rotate).toBe(false);
    // Rows from before activation was recorded fall back to creation.
    expect(scheduledWork([key('active', 95, { activatedAt: null })], policy, NOW).rotate).toBe(true);
  });

  it('prunes retired keys only past retention', () => {
    const fresh = key('retired', 100, { retiredAt: daysAgo(1) });
    const old = key('retired', 200, { retiredAt: daysAgo(3) });
    expect(scheduledWork([key('active', 1), fresh], policy, NOW).prune).toBe(false);
    expect(scheduledWork([key('active', 1), fresh, old], policy, NOW).prune).toBe(true);
    expect(expiredRetiredKeys([key('active', 1), fresh, old], policy, NOW)).toEqual([old]);
  });

  it('never prunes a retired key of unknown retirement time, nor active or next keys', () => {
    const keys = [key('active', 400), key('next', 400), key('retired', 400)];
    expect(expiredRetiredKeys(keys, policy, NOW)).toEqual([]);
  });

  it('with the default policy, keeps a key retired a day ago and prunes one retired 31 days ago', () => {
    const defaults = keyPolicyOf({});
    const keys = [
      key('active', 1),
      key('retired', 100, { retiredAt: daysAgo(1) }),
      key('retired', 200, { retiredAt: daysAgo(31) }),
    ];
    expect(expiredRetiredKeys(keys, defaults, NOW)).toEqual([keys[2]]);
  });
});
