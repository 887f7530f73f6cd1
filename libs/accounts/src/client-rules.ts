import type { TokenEndpointAuthMethod } from '@erp-id/persistence';

export const GRANT_TYPES = ['authorization_code', 'client_credentials', 'refresh_token'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'none',
];

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

/**
 * OAuth rules a registration must satisfy, checked at creation so a broken client is refused
 * there and never fails later at sign-in time.
 */
export function checkClientRules(reg: ClientRegistration): void {
  const grants = new Set(reg.grantTypes);
  const confidential = reg.tokenEndpointAuthMethod !== 'none';
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
  if (grants.has('authorization_code') && reg.redirectUris.length === 0) {
    throw new ClientRuleViolation(
      'redirectUris',
      'authorization_code clients need at least one redirect URI',
    );
  }
  if (!grants.has('authorization_code') && reg.redirectUris.length > 0) {
    throw new ClientRuleViolation(
      'redirectUris',
      'redirect URIs are only used by the authorization_code grant',
    );
  }
  if (!confidential && reg.clientSecret !== undefined) {
    throw new ClientRuleViolation(
      'clientSecret',
      'a public client (tokenEndpointAuthMethod "none") has no secret',
    );
  }
  for (const [field, uris] of [
    ['redirectUris', reg.redirectUris],
    ['postLogoutRedirectUris', reg.postLogoutRedirectUris],
  ] as const) {
    for (const uri of uris) checkRedirectUri(field, uri);
  }
}

function checkRedirectUri(field: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ClientRuleViolation(field, `${value} is not an absolute URI`);
  }
  if (url.hash) throw new ClientRuleViolation(field, `${value} must not contain a fragment`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !url.hostname.endsWith('.localhost')) {
    throw new ClientRuleViolation(field, `${value} must use https (http is allowed for localhost only)`);
  }
  if (url.protocol === 'javascript:' || url.protocol === 'data:') {
    throw new ClientRuleViolation(field, `${value} uses a forbidden scheme`);
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}
