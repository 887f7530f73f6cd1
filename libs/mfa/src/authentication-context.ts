/**
 * The authentication context classes the issuers advertise (`acr_values_supported`) and put in ID
 * tokens as `acr`: a password alone, or a password and a second factor. A request with
 * `acr_values` naming {@link ACR_MFA} gets a second factor even where the policy does not ask for one.
 */
export const ACR_PASSWORD = 'urn:erp:acr:pwd';
export const ACR_MFA = 'urn:erp:acr:mfa';
export const ACR_VALUES = [ACR_PASSWORD, ACR_MFA] as const;

/** Authentication method references (RFC 8176) of each way to sign in. */
export const AMR_PASSWORD: readonly string[] = ['pwd'];
export const AMR_PASSWORD_AND_OTP: readonly string[] = ['pwd', 'otp', 'mfa'];

/** Whether an `acr_values` request parameter asks for a second factor. */
export function secondFactorRequested(acrValues: unknown): boolean {
  return typeof acrValues === 'string' && acrValues.split(' ').includes(ACR_MFA);
}
