export { AccountsModule } from './accounts.module';
export { ClientsService, ClientConflict, toClientView } from './clients.service';
export type { ClientView, CreatedClient } from './clients.service';
export { checkClientRules, ClientRuleViolation, GRANT_TYPES, AUTH_METHODS } from './client-rules';
export type { ClientRegistration, GrantType } from './client-rules';
export { hashSecret, verifySecret } from './secret-hasher';
