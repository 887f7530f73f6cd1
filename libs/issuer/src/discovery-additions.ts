import type { IssuerHook } from './issuer-hooks';

/**
 * API scopes (`read`, `update`) belong to resource servers, not to OpenID Connect, so oidc-provider
 * does not list them; IdentityServer clients read them from `scopes_supported`.
 */
export function discoveryAdditions(apiScopes: readonly string[]): IssuerHook {
  return {
    after(ctx) {
      if (ctx.oidc?.route !== 'discovery' || ctx.status !== 200) return;
      const body = ctx.body as { scopes_supported?: string[] };
      body.scopes_supported = [...new Set([...(body.scopes_supported ?? []), ...apiScopes])];
    },
  };
}
