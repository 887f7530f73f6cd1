import type { InstancePolicies } from '@erp-id/policies';
import type { Client, Configuration, KoaContextWithOIDC, Session } from 'oidc-provider';

type GrantSource = Parameters<NonNullable<Configuration['issueRefreshToken']>>[2];

const now = (): number => Math.floor(Date.now() / 1000);

/**
 * Refresh tokens only for confidential clients in the code flow that were granted `offline_access`:
 * never for public clients, client credentials or implicit flows.
 */
export function issueRefreshToken(_ctx: KoaContextWithOIDC, client: Client, code: GrantSource): boolean {
  return (
    code.kind === 'AuthorizationCode' &&
    client.clientAuthMethod !== 'none' &&
    client.grantTypeAllowed('refresh_token') &&
    code.scopes.has('offline_access')
  );
}

/**
 * A session lives for the idle lifetime from its last use, but never past the absolute lifetime
 * counted from the sign-in.
 */
export function sessionTtl(
  policies: InstancePolicies,
): (ctx: KoaContextWithOIDC, session: Session) => number {
  const { idleLifetime, absoluteLifetime } = policies.session;
  return (_ctx, session) => {
    const signedInAt = session.loginTs ?? now();
    const absoluteLeft = signedInAt + absoluteLifetime - now();
    return Math.max(1, Math.min(idleLifetime, absoluteLeft));
  };
}
