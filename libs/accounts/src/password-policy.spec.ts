import { checkPasswordPolicy, PasswordPolicyViolation } from './password-policy';

const refusal = (password: string, username: string, policies: unknown): PasswordPolicyViolation | null => {
  try {
    checkPasswordPolicy(password, username, policies);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(PasswordPolicyViolation);
    return err as PasswordPolicyViolation;
  }
};

describe('instance password rules', () => {
  it('requires the policy minimum (12 by default), counting characters, not UTF-16 units', () => {
    expect(refusal('elevenchars', 'alice', {})?.rule).toBe('passwords.minLength');
    expect(refusal('twelve chars', 'alice', {})).toBeNull();
    expect(refusal('short-pass', 'alice', { passwords: { minLength: 8 } })).toBeNull();
    // Eleven emoji are 22 UTF-16 units but eleven characters.
    expect(refusal('😀'.repeat(11), 'alice', {})?.rule).toBe('passwords.minLength');
  });

  it('refuses the username as the password (in any case), unless the policy allows it', () => {
    const refused = refusal('Alice.Example.Com', 'alice.example.com', {});
    expect(refused?.rule).toBe('passwords.requireDifferentFromUsername');
    expect(
      refusal('alice.example.com', 'alice.example.com', {
        passwords: { requireDifferentFromUsername: false },
      }),
    ).toBeNull();
  });

  it('names the field and the rule, never the password', () => {
    const refused = refusal('tiny-secret', 'alice', {});
    expect(refused?.field).toBe('password');
    expect(refused?.message).toContain('passwords.minLength');
    expect(refused?.message).not.toContain('tiny-secret');
  });
});
