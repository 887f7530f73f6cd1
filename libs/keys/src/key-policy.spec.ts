import { CLOCK_TOLERANCE_SECONDS, keyPolicyOf } from './key-policy';

const DAY_MS = 24 * 3600 * 1000;

describe('keyPolicyOf', () => {
  it('uses the defaults for an empty policy', () => {
    const policy = keyPolicyOf({});
    expect(policy.signingAlgorithm).toBe('RS256');
    expect(policy.rotateAfterMs).toBe(90 * DAY_MS);
    expect(policy.publishNextBeforeMs).toBeGreaterThan(0);
    expect(policy.publishNextBeforeMs).toBeLessThan(policy.rotateAfterMs);
    // The default refresh token lifetime (30 days) is the longest.
    expect(policy.retainRetiredMs).toBe((30 * 24 * 3600 + CLOCK_TOLERANCE_SECONDS) * 1000);
  });

  it('takes the algorithm of new keys from the policy', () => {
    expect(keyPolicyOf({ signingAlgorithm: 'ES256' }).signingAlgorithm).toBe('ES256');
    expect(keyPolicyOf({ signingAlgorithm: 'EdDSA' }).signingAlgorithm).toBe('EdDSA');
  });

  it('keeps retired keys for the longest token lifetime plus the clock tolerance', () => {
    const policy = keyPolicyOf({
      tokenLifetimes: {
        accessToken: 600,
        clientCredentials: 900,
        idToken: 7200,
        authorizationCode: 60,
        refreshToken: 3600,
      },
    });
    expect(policy.retainRetiredMs).toBe((7200 + CLOCK_TOLERANCE_SECONDS) * 1000);
  });

  it('reads the rotation schedule, and either name of the lead time', () => {
    expect(keyPolicyOf({ keyRotation: { rotateAfterDays: 30, nextKeyLeadDays: 3 } })).toMatchObject({
      rotateAfterMs: 30 * DAY_MS,
      publishNextBeforeMs: 3 * DAY_MS,
    });
    const raw = keyPolicyOf({ keyRotation: { rotateAfterDays: 30, publishNextDaysBefore: 5 } });
    expect(raw.rotateAfterMs).toBe(30 * DAY_MS);
  });

  it('falls back to defaults for unreadable values instead of failing', () => {
    for (const keyRotation of ['soon', null, { rotateAfterDays: -1 }, { rotateAfterDays: 'x' }]) {
      const policy = keyPolicyOf({ keyRotation });
      expect(policy.rotateAfterMs).toBe(90 * DAY_MS);
      expect(policy.publishNextBeforeMs).toBeLessThan(policy.rotateAfterMs);
    }
    expect(keyPolicyOf('not an object').signingAlgorithm).toBe('RS256');
    expect(keyPolicyOf({ signingAlgorithm: 'HS256' }).signingAlgorithm).toBe('RS256');
  });
});
