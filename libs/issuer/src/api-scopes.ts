import { errors, type Client, type KoaContextWithOIDC } from 'oidc-provider';
import { API_SCOPES_METADATA } from './client-metadata';

/**
 * The API scopes a client may receive: those of the API that the client was registered with.
 * Asking for one it was not given is an `invalid_scope` error, never a silently smaller token.
 */
export function allowedApiScopes(
  ctx: KoaContextWithOIDC,
  apiScopes: readonly string[],
  client: Client,
): string {
  const value = client.metadata()[API_SCOPES_METADATA];
  const registered = new Set(typeof value === 'string' ? value.split(' ') : []);
  const allowed = apiScopes.filter((s) => registered.has(s));
  const requested = typeof ctx.oidc.params?.scope === 'string' ? ctx.oidc.params.scope.split(' ') : [];
  const refused = requested.filter((s) => apiScopes.includes(s) && !registered.has(s));
  if (refused.length) throw new errors.InvalidScope('requested scope is not allowed', refused.join(' '));
  return allowed.join(' ');
}
