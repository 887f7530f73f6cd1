import { randomBytes } from 'node:crypto';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { IssuerHook } from './issuer-hooks';
import { ISSUER_ROUTES } from './issuer-routes';

/** The internal response mode that delivers a `token` response: the fragment, without an ID token. */
export const TOKEN_ONLY_MODE = 'erp_token';
/** What a registered `token` client is, to oidc-provider. */
export const TOKEN_AS_PROVIDER_TYPE = 'id_token token';

const normalize = (responseType: string): string => responseType.split(' ').filter(Boolean).sort().join(' ');

/**
 * The legacy OAuth 2.0 implicit response type `token` (access token in the fragment), which
 * IdentityServer apps may still use. oidc-provider refuses a bare `token` in its configuration, so
 * the gateway serves it through the provider's own `id_token token` flow: a GET authorization request
 * for `token` becomes `id_token token` with `openid` and a nonce added, answered through a response
 * mode that leaves the ID token out. Everything else (client registration for the type, redirect URI
 * matching, consent, token lifetimes) is the provider's. A request that names `id_token token` itself
 * is refused, because the gateway does not offer that type; so is a request naming the internal mode.
 * Registers the response mode and returns the hook that rewrites such requests (see issuer-hooks.ts).
 */
export function installLegacyTokenResponse(provider: Provider): IssuerHook {
  provider.registerResponseMode(TOKEN_ONLY_MODE, (ctx, redirectUri, payload) => {
    const rest: Record<string, string> = { ...(payload as Record<string, string>) };
    delete rest.id_token;
    delete rest.session_state;
    // oidc-provider leaves `iss` out when an ID token carries it; without the ID token it must be here (RFC 9207).
    rest.iss ??= provider.issuer;
    const url = new URL(redirectUri);
    url.hash = new URLSearchParams(rest).toString();
    ctx.status = 303;
    ctx.redirect(url.href);
  });

  return {
    before(ctx) {
      if (ctx.method === 'GET' && ctx.path === ISSUER_ROUTES.authorization) rewriteAuthorizationQuery(ctx);
    },
    after(ctx) {
      if (ctx.oidc?.route !== 'discovery' || ctx.status !== 200) return;
      const body = ctx.body as { response_types_supported?: string[] };
      body.response_types_supported = body.response_types_supported?.map((t) =>
        normalize(t) === normalize(TOKEN_AS_PROVIDER_TYPE) ? 'token' : t,
      );
    },
  };
}

function rewriteAuthorizationQuery(ctx: KoaContextWithOIDC): void {
  const query = { ...ctx.query } as Record<string, string | string[] | undefined>;
  const responseType = typeof query.response_type === 'string' ? normalize(query.response_type) : undefined;
  if (responseType === normalize(TOKEN_AS_PROVIDER_TYPE)) {
    // Not offered: make the provider answer unsupported_response_type the standard way.
    query.response_type = 'token';
  } else if (responseType === 'token') {
    const scopes = new Set(typeof query.scope === 'string' ? query.scope.split(' ').filter(Boolean) : []);
    scopes.add('openid');
    query.response_type = TOKEN_AS_PROVIDER_TYPE;
    query.response_mode = TOKEN_ONLY_MODE;
    query.scope = [...scopes].join(' ');
    query.nonce ??= randomBytes(16).toString('base64url');
  } else if (query.response_mode === TOKEN_ONLY_MODE) {
    query.response_mode = 'unsupported';
  } else {
    return;
  }
  ctx.query = query;
}
