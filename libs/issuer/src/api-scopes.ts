import { errors, type Client, type KoaContextWithOIDC } from 'oidc-provider';
import { API_SCOPES_METADATA } from './client-metadata';

// Per client object (oidc-provider keeps one per metadata version): `metadata()` rebuilds the whole
// metadata object, too much work for every token request.
const registeredByClient = new WeakMap<Client, ReadonlySet<string>>();

function registeredApiScopes(client: Client): ReadonlySet<string> {
  let scopes = registeredByClient.get(client);
  if (!scopes) {
    const value = client.metadata()[API_SCOPES_METADATA];
    scopes = new Set(typeof value === 'string' ? value.split(' ') : []);
    registeredByClient.set(client, scopes);
  }
  return scopes;
}

/**
 * The API scopes a client may receive: those of the API that the client was registered with.
 * Asking for one it was not given is an `invalid_scope` error, never a silently smaller token.
 */
export function allowedApiScopes(
  ctx: KoaContextWithOIDC,
  apiScopes: readonly string[],
  client: Client,
): string {
  const registered = registeredApiScopes(client);
  const allowed = apiScopes.filter((s) => registered.has(s));
  const requested = typeof ctx.oidc.params?.scope === 'string' ? ctx.oidc.params.scope.split(' ') : [];
  const refused = requested.filter((s) => apiScopes.includes(s) && !registered.has(s));
  if (refused.length) throw new errors.InvalidScope('requested scope is not allowed', refused.join(' '));
  return allowed.join(' ');
}
