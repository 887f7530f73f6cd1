import type { ClientEntity } from '@erp-id/persistence';
import type { ClientMetadata, ResponseType } from 'oidc-provider';
import { FRONTCHANNEL_LOGOUT_URI } from './front-channel-logout';
import { TOKEN_AS_PROVIDER_TYPE } from './legacy-token-response';

/** Client metadata key carrying the admin API's `requireConsent`. */
export const REQUIRE_CONSENT = 'require_consent';

/** Client metadata key carrying the admin API's `introspection` permission. */
export const INTROSPECTION_ALLOWED = 'erp_introspection';

/** Client metadata key carrying the API scopes (`read`, `update`) the client may receive. */
export const API_SCOPES_METADATA = 'erp_api_scopes';

/**
 * Client metadata keys carrying the argon2id hash of the secret replaced by a rotation and when it
 * stops authenticating (milliseconds since the epoch, as precise as the stored time); present only
 * during the grace period.
 */
export const PREVIOUS_SECRET_METADATA = 'erp_previous_secret';
export const PREVIOUS_SECRET_EXPIRES_METADATA = 'erp_previous_secret_expires_at_ms';

/** The scopes oidc-provider itself knows (its `scopes` configuration). */
export const OIDC_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'email', 'offline_access']);

/**
 * A stored client as oidc-provider metadata. `client_secret` carries the argon2id hash, never a
 * secret: the issuer compares presented secrets against it (see hashed-client-secrets.ts), and
 * symmetric (HS*) algorithms that would use it as a key are disabled.
 */
export function toClientMetadata(row: ClientEntity, now = Date.now()): ClientMetadata {
  const previousSecret =
    row.previousSecretHash && row.previousSecretExpiresAt && row.previousSecretExpiresAt.getTime() > now
      ? {
          [PREVIOUS_SECRET_METADATA]: row.previousSecretHash,
          [PREVIOUS_SECRET_EXPIRES_METADATA]: row.previousSecretExpiresAt.getTime(),
        }
      : {};
  return {
    client_id: row.clientId,
    ...(row.clientName ? { client_name: row.clientName } : {}),
    ...(row.secretHash ? { client_secret: row.secretHash, ...previousSecret } : {}),
    token_endpoint_auth_method: row.tokenEndpointAuthMethod,
    // oidc-provider names the grant behind front-channel token responses (id_token, token) "implicit".
    grant_types: row.responseTypes.some((t) => t !== 'code')
      ? [...row.grantTypes, 'implicit']
      : row.grantTypes,
    response_types: row.responseTypes.map((t) =>
      t === 'token' ? TOKEN_AS_PROVIDER_TYPE : t,
    ) as ResponseType[],
    redirect_uris: row.redirectUris,
    post_logout_redirect_uris: row.postLogoutRedirectUris,
    ...(row.backchannelLogoutUri
      ? { backchannel_logout_uri: row.backchannelLogoutUri, backchannel_logout_session_required: true }
      : {}),
    ...(row.frontchannelLogoutUri ? { [FRONTCHANNEL_LOGOUT_URI]: row.frontchannelLogoutUri } : {}),
    [REQUIRE_CONSENT]: row.requireConsent,
    [INTROSPECTION_ALLOWED]: row.introspection,
    // oidc-provider treats a missing scope as "anything goes" and refuses an empty one: `openid`
    // alone keeps a client that was granted no scopes limited to none. API scopes are not OpenID
    // Connect scopes; they travel separately and are enforced per API (see api-scopes.ts).
    scope: [...new Set(['openid', ...row.scopes.filter((s) => OIDC_SCOPES.has(s))])].join(' '),
    [API_SCOPES_METADATA]: row.scopes.filter((s) => !OIDC_SCOPES.has(s)).join(' '),
  };
}
