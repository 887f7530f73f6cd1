import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

/**
 * API scopes (`read`, `update`) belong to resource servers, not to OpenID Connect, so oidc-provider
 * does not list them; IdentityServer clients read them from `scopes_supported`.
 */
export function installDiscoveryAdditions(provider: Provider, apiScopes: readonly string[]): void {
  provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    if (ctx.oidc?.route !== 'discovery' || ctx.status !== 200) return;
    const body = ctx.body as { scopes_supported?: string[] };
    body.scopes_supported = [...new Set([...(body.scopes_supported ?? []), ...apiScopes])];
  });
}
