export { AccountsModule } from './accounts.module';
export { ClientsService, ClientConflict, toClientView } from './clients.service';
export type { ClientView, CreatedClient } from './clients.service';
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
export { canonicalAddress } from './client-address';
export type { SignInInstance, SignInResult } from './sign-in.service';
export { USER_LOOKUP } from './user-lookup';
export type { UserLookup } from './user-lookup';
