import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

/** A path or method the issuer does not serve gets an OAuth-style JSON 404, not Koa's plain text. */
export function installJsonNotFound(provider: Provider): void {
  provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) {
      ctx.status = 404;
      ctx.body = { error: 'not_found', error_description: `no ${ctx.method} ${ctx.path} endpoint here` };
    }
  });
}
