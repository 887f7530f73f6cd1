import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

/**
 * A step of the gateway's own around the provider's request handling: `before` may rewrite the
 * request, `after` may adjust the response. Returns a promise only when it has asynchronous work.
 */
export interface IssuerHook {
  before?(ctx: KoaContextWithOIDC): void;
  after?(ctx: KoaContextWithOIDC): void | Promise<void>;
}

/**
 * Runs every hook from one provider middleware. Each `provider.use` is an async frame on every
 * request, token requests included; one frame for all of them keeps the hot path as short as a
 * bare provider's. `after` runs in reverse order, as nested middlewares would.
 */
export function installIssuerHooks(provider: Provider, hooks: readonly IssuerHook[]): void {
  const befores = hooks.flatMap((h) => (h.before ? [h.before.bind(h)] : []));
  const afters = hooks.flatMap((h) => (h.after ? [h.after.bind(h)] : [])).reverse();
  provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    for (const before of befores) before(ctx);
    await next();
    for (const after of afters) {
      const pending = after(ctx);
      if (pending) await pending;
    }
  });
}
