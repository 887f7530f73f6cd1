import type { ClientEntity } from '@erp-id/persistence';
import type { ClientMetadata, ResponseType } from 'oidc-provider';

/**
 * A stored client as oidc-provider metadata. `client_secret` carries the argon2id hash, never a
 * secret: the issuer compares presented secrets against it (see hashed-client-secrets.ts), and
 * symmetric (HS*) algorithms that would use it as a key are disabled.
 */
export function toClientMetadata(row: ClientEntity): ClientMetadata {
  return {
    client_id: row.clientId,
    ...(row.clientName ? { client_name: row.clientName } : {}),
    ...(row.secretHash ? { client_secret: row.secretHash } : {}),
    token_endpoint_auth_method: row.tokenEndpointAuthMethod,
    grant_types: row.grantTypes,
    response_types: row.responseTypes as ResponseType[],
    redirect_uris: row.redirectUris,
    post_logout_redirect_uris: row.postLogoutRedirectUris,
    // oidc-provider treats a missing scope as "anything goes" and refuses an empty one: `openid`
    // alone keeps a client that was granted no scopes limited to none.
    scope: [...new Set(['openid', ...row.scopes])].join(' '),
  };
}
