/**
 * The values policies choose from. They mirror what the gateway can serve (see libs/accounts for the
 * client side); policies cannot import accounts, which reads policies itself.
 */
export const POLICY_GRANT_TYPES = [
  'authorization_code',
  'client_credentials',
  'refresh_token',
  'implicit',
] as const;
export type PolicyGrantType = (typeof POLICY_GRANT_TYPES)[number];

export const POLICY_RESPONSE_TYPES = ['code', 'id_token', 'code id_token', 'token'] as const;
export type PolicyResponseType = (typeof POLICY_RESPONSE_TYPES)[number];

/** Who must present a second factor: nobody, every user, or internal (licensed) users only. */
export const MFA_REQUIREMENTS = ['none', 'all', 'internal'] as const;
export type MfaRequirement = (typeof MFA_REQUIREMENTS)[number];
