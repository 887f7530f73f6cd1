export { AccountsModule } from './accounts.module';
export {
  ClientsService,
  ClientConflict,
  ClientHasNoSecret,
  ClientOwnedByServiceAccount,
} from './clients.service';
export type { ClientInstance, ClientOwner } from './clients.service';
export { toClientView } from './client-view';
export type { ClientView, CreatedClient, RotatedClient } from './client-view';
export type { ClientPatch } from './client-patch';
export { ClientPolicyViolation, checkClientPolicies } from './client-policy';
export { MAX_SECRET_GRACE_SECONDS } from './client-secret';
export { INSTANCE_API_SCOPES } from './instance-api-scopes';
export type { InstanceApiScope } from './instance-api-scopes';
export { ServiceAccountsService, ServiceAccountConflict } from './service-accounts.service';
export type { CreateServiceAccountInput, ServiceAccountPatch } from './service-accounts.service';
export type {
  ServiceAccountPage,
  ServiceAccountView,
  ServiceAccountWithSecret,
} from './service-account-view';
export {
  SERVICE_ACCOUNT_DESCRIPTION_MAX_LENGTH,
  SERVICE_ACCOUNT_NAME,
  SERVICE_ACCOUNT_NAME_MAX_LENGTH,
  SERVICE_ACCOUNT_STATUSES,
  ServiceAccountRuleViolation,
  serviceAccountClientId,
} from './service-account-rules';
export {
  checkClientRules,
  ClientRuleViolation,
  GRANT_TYPES,
  AUTH_METHODS,
  RESPONSE_TYPES,
  effectiveResponseTypes,
  usesFrontChannelTokens,
} from './client-rules';
export type { ClientRegistration, GrantType, ResponseTypeName } from './client-rules';
export { hashSecret, verifySecret } from './secret-hasher';
export { isUniqueViolation } from './unique-violation';
export { UsersService, UserConflict } from './users.service';
export { checkPasswordPolicy, PasswordPolicyViolation } from './password-policy';
export type { CreateUserInput, PageRequest, UserInstance, UserPatch } from './users.service';
export { toUserView } from './user-view';
export type { UserDetails, UserPage, UserView } from './user-view';
export {
  USER_KINDS,
  USER_STATUSES,
  USERNAME_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_MAX_LENGTH,
  DISPLAY_NAME_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  UserRuleViolation,
  normalizeUsername,
} from './user-rules';
export { SignInService, IP_ATTEMPTS_FACTOR } from './sign-in.service';
export { ADDRESS_REFUSAL_AUDIT_SECONDS, SignInAddressRule } from './sign-in-address-rule';
export type { SignInAddressContext, SignInAddressDecision } from './sign-in-address-rule';
export { canonicalAddress } from './client-address';
export type { SignInInstance, SignInResult } from './sign-in.service';
export { USER_LOOKUP } from './user-lookup';
export type { UserLookup } from './user-lookup';
export { ReferenceTokensService } from './reference-tokens.service';
export type {
  ActiveReferenceToken,
  IssueReferenceTokenInput,
  ReferenceTokenQuery,
} from './reference-tokens.service';
export type { IssuedReferenceToken, ReferenceTokenPage, ReferenceTokenView } from './reference-token-view';
export {
  REFERENCE_TOKEN_APIS,
  REFERENCE_TOKEN_DESCRIPTION_MAX_LENGTH,
  REFERENCE_TOKEN_KINDS,
  ReferenceTokenRefused,
  ReferenceTokenRuleViolation,
} from './reference-token-rules';
export { REFERENCE_TOKEN_PREFIXES, referenceTokenHash, referenceTokenKind } from './reference-token-format';
