import { instancePolicies } from '@erp-id/policies';
import { normalizeUsername } from './user-rules';

/** A password the instance's policy refuses; `rule` names the policy field (never the password). */
export class PasswordPolicyViolation extends Error {
  override readonly name = 'PasswordPolicyViolation';
  readonly field = 'password';
  constructor(
    readonly rule: 'passwords.minLength' | 'passwords.requireDifferentFromUsername',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The instance's password rules (`passwords` policy), on top of the fixed bounds every password
 * meets. Length counts characters as people do (code points), not UTF-16 units.
 */
export function checkPasswordPolicy(password: string, username: string, storedPolicies: unknown): void {
  const rules = instancePolicies(storedPolicies).passwords;
  if ([...password].length < rules.minLength) {
    throw new PasswordPolicyViolation(
      'passwords.minLength',
      `password must be at least ${rules.minLength} characters (instance policy passwords.minLength)`,
    );
  }
  if (rules.requireDifferentFromUsername && normalizeUsername(password) === normalizeUsername(username)) {
    throw new PasswordPolicyViolation(
      'passwords.requireDifferentFromUsername',
      'password must differ from the username (instance policy passwords.requireDifferentFromUsername)',
    );
  }
}
