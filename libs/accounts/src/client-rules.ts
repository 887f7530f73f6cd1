import type { TokenEndpointAuthMethod } from '@erp-id/persistence';

export const GRANT_TYPES = ['authorization_code', 'client_credentials', 'refresh_token', 'implicit'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'none',
];

/** Response types a client may register; `token` is the legacy OAuth implicit access token. */
export const RESPONSE_TYPES = ['code', 'id_token', 'code id_token', 'token'] as const;
export type ResponseTypeName = (typeof RESPONSE_TYPES)[number];

/** What a client registration asks for, after syntactic validation. */
export interface ClientRegistration {
  clientId: string;
  clientSecret?: string;
  clientName?: string;
  grantTypes: GrantType[];
  scopes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** Defaults to `["code"]` for authorization_code clients, none otherwise. */
  responseTypes?: ResponseTypeName[];
  backchannelLogoutUri?: string;
  frontchannelLogoutUri?: string;
  requireConsent?: boolean;
  /** May call the introspection endpoint (an API checking tokens); default false. */
  introspection?: boolean;
}

/** The response types a registration ends up with. */
export function effectiveResponseTypes(
  reg: Pick<ClientRegistration, 'responseTypes' | 'grantTypes'>,
): ResponseTypeName[] {
  if (reg.responseTypes) return [...new Set(reg.responseTypes)];
  return reg.grantTypes.includes('authorization_code') ? ['code'] : [];
}

/** Front-channel responses (implicit, hybrid) that put tokens in the browser's URL fragment. */
export function usesFrontChannelTokens(responseTypes: readonly string[]): boolean {
  return responseTypes.some((t) => t !== 'code');
}

export class ClientRuleViolation extends Error {
  override readonly name = 'ClientRuleViolation';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '127.0.0.1' ||
    hostname === '[::1]' ||
    hostname.endsWith('.localhost')
  );
}

function checkUri(field: string, value: string): void {
  const url = URL.parse(value);
  if (!url) throw new ClientRuleViolation(field, `${value} is not an absolute URI`);
  if (url.hash || value.includes('#'))
    throw new ClientRuleViolation(field, `${value} must not contain a fragment`);
  if (url.protocol === 'javascript:' || url.protocol === 'data:' || url.protocol === 'file:') {
    throw new ClientRuleViolation(field, `${value} uses a forbidden scheme`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new ClientRuleViolation(field, `${value} must use https (http is allowed for localhost only)`);
  }
}

function checkGrants(reg: ClientRegistration, confidential: boolean): void {
  const grants = new Set(reg.grantTypes);
  if (grants.size === 0) throw new ClientRuleViolation('grantTypes', 'at least one grant type is required');
  if (grants.has('client_credentials') && !confidential) {
    throw new ClientRuleViolation(
      'grantTypes',
      'client_credentials requires a confidential client (a secret)',
    );
  }
  if (grants.has('refresh_token') && !grants.has('authorization_code')) {
    throw new ClientRuleViolation(
      'grantTypes',
      'refresh_token is only issued together with authorization_code',
    );
  }
  if (grants.has('refresh_token') && !confidential) {
    throw new ClientRuleViolation('grantTypes', 'refresh tokens are issued to confidential clients only');
  }
}

function checkResponseTypes(reg: ClientRegistration, responseTypes: readonly string[]): void {
  const withCode = responseTypes.some((t) => t.includes('code'));
  if (withCode && !reg.grantTypes.includes('authorization_code')) {
    throw new ClientRuleViolation(
      'responseTypes',
      'response types with "code" need the authorization_code grant',
    );
  }
  if (reg.grantTypes.includes('authorization_code') && !withCode) {
    throw new ClientRuleViolation(
      'responseTypes',
      'the authorization_code grant needs a response type with "code"',
    );
  }
  if (reg.grantTypes.includes('implicit') && !usesFrontChannelTokens(responseTypes)) {
    throw new ClientRuleViolation(
      'responseTypes',
      'the implicit grant needs the response type "id_token" or "token"',
    );
  }
  if (!usesFrontChannelTokens(responseTypes)) return;
  // OpenID Connect Registration: implicit and hybrid clients use https redirect URIs, not localhost.
  for (const uri of reg.redirectUris) {
    const url = URL.parse(uri);
    if (!url || url.protocol !== 'https:' || isLoopback(url.hostname)) {
      throw new ClientRuleViolation(
        'redirectUris',
        `${uri}: implicit and hybrid clients must use https URIs that are not localhost`,
      );
    }
  }
}

/**
 * OAuth and OpenID Connect rules a registration must satisfy, checked at creation so a broken client
 * is refused there and never fails later at sign-in time.
 */
export function checkClientRules(reg: ClientRegistration): void {
  const confidential = reg.tokenEndpointAuthMethod !== 'none';
  checkGrants(reg, confidential);
  const responseTypes = effectiveResponseTypes(reg);
  const interactive = responseTypes.length > 0;
  if (!confidential && reg.clientSecret !== undefined) {
    throw new ClientRuleViolation(
      'clientSecret',
      'a public client (tokenEndpointAuthMethod "none") has no secret',
    );
  }
  if (!confidential && reg.introspection) {
    throw new ClientRuleViolation(
      'introspection',
      'only a confidential client may introspect tokens: RFC 7662 requires the caller to authenticate',
    );
  }
  if (interactive && reg.redirectUris.length === 0) {
    throw new ClientRuleViolation('redirectUris', 'interactive clients need at least one redirect URI');
  }
  if (!interactive && reg.redirectUris.length > 0) {
    throw new ClientRuleViolation('redirectUris', 'redirect URIs are only used by interactive clients');
  }
  if (
    !interactive &&
    (reg.postLogoutRedirectUris.length || reg.backchannelLogoutUri || reg.frontchannelLogoutUri)
  ) {
    throw new ClientRuleViolation(
      'postLogoutRedirectUris',
      'sign-out settings are only used by interactive clients',
    );
  }
  const uris: Array<[string, readonly string[]]> = [
    ['redirectUris', reg.redirectUris],
    ['postLogoutRedirectUris', reg.postLogoutRedirectUris],
    ['backchannelLogoutUri', reg.backchannelLogoutUri ? [reg.backchannelLogoutUri] : []],
    ['frontchannelLogoutUri', reg.frontchannelLogoutUri ? [reg.frontchannelLogoutUri] : []],
  ];
  for (const [field, values] of uris) for (const value of values) checkUri(field, value);
  checkResponseTypes(reg, responseTypes);
}
