import type { KoaContextWithOIDC } from 'oidc-provider';

/** Name of the internal extra parameter whose validator restores `offline_access`. */
export const OFFLINE_ACCESS_PARAM = 'erp_offline_access';

function rawScope(ctx: KoaContextWithOIDC): string {
  const body = (ctx.oidc as unknown as { body?: Record<string, unknown> }).body;
  const value = ctx.method === 'POST' ? body?.scope : ctx.query.scope;
  return typeof value === 'string' ? value : '';
}

/**
 * oidc-provider drops `offline_access` unless the request also says `prompt=consent`. IdentityServer
 * clients never send that, and expect a refresh token when they ask for `offline_access` in the code
 * flow. This validator (run for every authorization request, after the scope checks) puts the scope
 * back when the client is confidential, registered for refresh tokens, and uses a code response type.
 * It reads the scope from the request itself, so a client cannot forge it through the parameter.
 */
export function restoreOfflineAccess(ctx: KoaContextWithOIDC): void {
  const { client, params } = ctx.oidc;
  if (!client || !params) return;
  const requested = rawScope(ctx).split(' ').includes('offline_access');
  const responseType = typeof params.response_type === 'string' ? params.response_type : '';
  const eligible =
    requested &&
    responseType.split(' ').includes('code') &&
    client.clientAuthMethod !== 'none' &&
    client.grantTypeAllowed('refresh_token');
  if (!eligible) return;
  const scopes = new Set(typeof params.scope === 'string' ? params.scope.split(' ') : []);
  scopes.add('offline_access');
  params.scope = [...scopes].join(' ');
}
