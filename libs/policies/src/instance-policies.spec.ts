import { defaultPolicies, instancePolicies } from './instance-policies';

describe('instancePolicies', () => {
  it('fills every default for an empty document', () => {
    expect(instancePolicies({})).toEqual({
      passwords: { minLength: 12, requireDifferentFromUsername: true },
      lockout: { maxAttempts: 5, windowSeconds: 900, durationSeconds: 900 },
      session: { absoluteLifetime: 14 * 24 * 3600, idleLifetime: 24 * 3600 },
      tokenLifetimes: {
        accessToken: 3600,
        clientCredentials: 3600,
        idToken: 3600,
        authorizationCode: 60,
        refreshToken: 30 * 24 * 3600,
      },
      allowedGrantTypes: ['authorization_code', 'client_credentials', 'refresh_token', 'implicit'],
      allowedResponseTypes: ['code', 'id_token', 'code id_token', 'token'],
      signingAlgorithm: 'RS256',
      keyRotation: { rotateAfterDays: 90, nextKeyLeadDays: 2 },
      mfa: { required: 'none' },
      allowedSignInIpRanges: [],
      externalUsersAllowed: true,
      rateLimits: {
        windowSeconds: 60,
        signInPerAddress: 300,
        authorizePerAddress: 1200,
        tokenPerAddress: 12_000,
        tokenPerClient: 12_000,
        introspectionPerAddress: 60_000,
        clientAuthFailuresPerAddress: 20,
      },
    });
  });

  it('keeps stored values and defaults the rest of their section', () => {
    const policies = instancePolicies({ tokenLifetimes: { clientCredentials: 600 } });
    expect(policies.tokenLifetimes).toMatchObject({ clientCredentials: 600, accessToken: 3600 });
  });

  it('resets only the unreadable section and keeps the others', () => {
    const policies = instancePolicies({
      tokenLifetimes: { accessToken: 'soon' },
      lockout: { maxAttempts: 3 },
      mfa: { required: 'sometimes' },
    });
    expect(policies.tokenLifetimes).toEqual(defaultPolicies().tokenLifetimes);
    expect(policies.mfa).toEqual({ required: 'none' });
    expect(policies.lockout.maxAttempts).toBe(3);
  });

  it('ignores fields it does not know (written by a newer release)', () => {
    const policies = instancePolicies({ session: { idleLifetime: 600, slidingRenewal: true }, future: 1 });
    expect(policies.session.idleLifetime).toBe(600);
    expect(policies).not.toHaveProperty('future');
  });

  it.each([null, undefined, 'policies', 42, [], [{ lockout: {} }]])('never throws on %p', (raw) => {
    expect(instancePolicies(raw)).toEqual(defaultPolicies());
  });

  it('hands out independent default lists', () => {
    const first = instancePolicies({});
    first.allowedGrantTypes.pop();
    first.allowedSignInIpRanges.push('10.0.0.0/8');
    expect(instancePolicies({}).allowedGrantTypes).toHaveLength(4);
    expect(instancePolicies({}).allowedSignInIpRanges).toEqual([]);
  });
});
