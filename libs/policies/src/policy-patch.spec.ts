import { validatePolicyPatch } from './policy-patch';

const problemsOf = (current: unknown, patch: unknown) => {
  const result = validatePolicyPatch(current, patch);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
};

describe('validatePolicyPatch', () => {
  it('merges a partial patch into the stored document and returns both forms', () => {
    const result = validatePolicyPatch(
      { tokenLifetimes: { accessToken: 900 }, mfa: { required: 'all' } },
      { tokenLifetimes: { clientCredentials: 300 }, allowedGrantTypes: ['client_credentials'] },
    );
    expect(result).toMatchObject({
      ok: true,
      stored: {
        tokenLifetimes: { accessToken: 900, clientCredentials: 300 },
        mfa: { required: 'all' },
        allowedGrantTypes: ['client_credentials'],
      },
      effective: {
        tokenLifetimes: { accessToken: 900, clientCredentials: 300, idToken: 3600 },
        mfa: { required: 'all' },
        allowedGrantTypes: ['client_credentials'],
        signingAlgorithm: 'RS256',
      },
    });
  });

  it('resets a field to its default with null', () => {
    const result = validatePolicyPatch(
      { tokenLifetimes: { accessToken: 900, idToken: 600 } },
      { tokenLifetimes: { accessToken: null } },
    );
    expect(result).toMatchObject({
      ok: true,
      stored: { tokenLifetimes: { idToken: 600 } },
      effective: { tokenLifetimes: { accessToken: 3600, idToken: 600 } },
    });
  });

  it('replaces lists instead of merging them', () => {
    const result = validatePolicyPatch(
      { allowedSignInIpRanges: ['10.0.0.0/8', '192.168.0.0/16'] },
      { allowedSignInIpRanges: ['2001:db8::/32'] },
    );
    expect(result.ok && result.effective.allowedSignInIpRanges).toEqual(['2001:db8::/32']);
  });

  it('names unknown fields at any depth', () => {
    expect(problemsOf({}, { tokenLifetimes: { accesToken: 60 }, colour: 'blue' })).toEqual(
      expect.arrayContaining([
        { field: 'tokenLifetimes.accesToken', message: 'unknown policy field' },
        { field: 'colour', message: 'unknown policy field' },
      ]),
    );
  });

  it.each([
    ['tokenLifetimes.accessToken', { tokenLifetimes: { accessToken: -5 } }],
    ['tokenLifetimes.accessToken', { tokenLifetimes: { accessToken: 1.5 } }],
    ['tokenLifetimes.refreshToken', { tokenLifetimes: { refreshToken: 10 * 365 * 24 * 3600 } }],
    ['passwords.minLength', { passwords: { minLength: 6 } }],
    ['passwords.minLength', { passwords: { minLength: 129 } }],
    ['lockout.maxAttempts', { lockout: { maxAttempts: 0 } }],
    ['signingAlgorithm', { signingAlgorithm: 'HS256' }],
    ['allowedGrantTypes.0', { allowedGrantTypes: ['password'] }],
    ['allowedGrantTypes', { allowedGrantTypes: ['implicit', 'implicit'] }],
    ['allowedResponseTypes.0', { allowedResponseTypes: ['id_token token'] }],
    ['mfa.required', { mfa: { required: 'sometimes' } }],
    ['allowedSignInIpRanges.1', { allowedSignInIpRanges: ['10.0.0.0/8', '10.0.0.300/8'] }],
    ['allowedSignInIpRanges.0', { allowedSignInIpRanges: ['10.0.0.1'] }],
    ['externalUsersAllowed', { externalUsersAllowed: 'yes' }],
    ['keyRotation.rotateAfterDays', { keyRotation: { rotateAfterDays: 0 } }],
    ['session', { session: 'long' }],
  ])('names %s for %j', (field, patch) => {
    expect(problemsOf({}, patch).map((p) => p.field)).toContain(field);
  });

  it('checks cross-field rules against the merged document', () => {
    expect(problemsOf({ session: { absoluteLifetime: 3600 } }, { session: { idleLifetime: 7200 } })).toEqual([
      { field: 'session.idleLifetime', message: 'must not exceed session.absoluteLifetime' },
    ]);
    expect(problemsOf({}, { keyRotation: { rotateAfterDays: 2 } })).toEqual([
      { field: 'keyRotation.nextKeyLeadDays', message: 'must be less than keyRotation.rotateAfterDays' },
    ]);
  });

  it('refuses a patch that is not an object', () => {
    expect(problemsOf({}, ['lockout'])).toEqual([{ field: '', message: 'must be a JSON object' }]);
  });

  it('leaves the stored document untouched', () => {
    const current = { lockout: { maxAttempts: 3 } };
    validatePolicyPatch(current, { lockout: { maxAttempts: 4 } });
    expect(current).toEqual({ lockout: { maxAttempts: 3 } });
  });
});
