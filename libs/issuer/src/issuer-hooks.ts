import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

/** `before` answered the request itself (a refusal): the provider and later hooks do not see it. */
export const ANSWERED = true;

/**
 * A step of the gateway's own around the provider's request handling: `before` may rewrite the
 * request or answer it (returning {@link ANSWERED}), `after` may adjust the response. Each returns a
 * promise only when it has asynchronous work.
 */
export interface IssuerHook {
  before?(ctx: KoaContextWithOIDC): void | boolean | Promise<boolean>;
  after?(ctx: KoaContextWithOIDC): void | Promise<void>;
}

/**
 * Runs every hook from one provider middleware. Each `provider.use` is an async frame on every
 * request, token requests included; one frame for all of them keeps the hot path as short as a
 * bare provider's. `after` runs in reverse order, as nested middlewares would; a request answered
 * by a `before` skips the later `before`s, the provider and every `after`.
 */
export function installIssuerHooks(provider: Provider, hooks: readonly IssuerHook[]): void {
  const befores = hooks.flatMap((h) => (h.before ? [h.before.bind(h)] : []));
  const afters = hooks.flatMap((h) => (h.after ? [h.after.bind(h)] : [])).reverse();
  provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    for (const before of befores) {
      let answered = before(ctx);
      if (answered instanceof Promise) answered = await answered;
      if (answered === ANSWERED) return;
    }
    await next();
    for (const after of afters) {
      const pending = after(ctx);
      if (pending) await pending;
    }
  });
}
