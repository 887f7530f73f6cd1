import { GRANT_TYPES, type GrantType, RESPONSE_TYPES, type ResponseTypeName } from '@erp-id/accounts';
import type { OptionMetadata } from 'nest-commander';
import { collect, oneOf } from '../cli-options';

/** The repeatable options `clients create` and `clients update` share (update replaces the whole list). */
export interface ClientListOptions {
  grantType?: GrantType[];
  responseType?: ResponseTypeName[];
  scope?: string[];
  redirectUri?: string[];
  postLogoutRedirectUri?: string[];
}

export const GRANT_TYPE_OPTION: OptionMetadata = {
  flags: '--grant-type <type>',
  description: `one of ${GRANT_TYPES.join(', ')} (repeatable)`,
};

export const RESPONSE_TYPE_OPTION: OptionMetadata = {
  flags: '--response-type <type>',
  description: `one of ${RESPONSE_TYPES.join(', ')} (repeatable)`,
};

export const SCOPE_OPTION: OptionMetadata = {
  flags: '--scope <scope>',
  description: 'allowed scope (repeatable)',
};

export const REDIRECT_URI_OPTION: OptionMetadata = {
  flags: '--redirect-uri <uri>',
  description: 'redirect URI (repeatable)',
};

export const POST_LOGOUT_REDIRECT_URI_OPTION: OptionMetadata = {
  flags: '--post-logout-redirect-uri <uri>',
  description: 'where sign-out may return to (repeatable)',
};

export const collectGrantType = (value: string, previous?: GrantType[]): GrantType[] =>
  collect(oneOf('--grant-type', GRANT_TYPES, value), previous);

export const collectResponseType = (value: string, previous?: ResponseTypeName[]): ResponseTypeName[] =>
  collect(oneOf('--response-type', RESPONSE_TYPES, value), previous);
