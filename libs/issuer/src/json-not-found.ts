import type { IssuerHook } from './issuer-hooks';

/** A path or method the issuer does not serve gets an OAuth-style JSON 404, not Koa's plain text. */
export const jsonNotFound: IssuerHook = {
  after(ctx) {
    if (ctx.status === 404 && ctx.body === undefined) {
      ctx.status = 404;
      ctx.body = { error: 'not_found', error_description: `no ${ctx.method} ${ctx.path} endpoint here` };
    }
  },
};
