import type { UserEntity } from '@erp-id/persistence';
import type { Account, AccountClaims, KoaContextWithOIDC } from 'oidc-provider';

/** The account as oidc-provider sees it; `kind` decides API access. */
export interface GatewayAccount extends Account {
  kind: UserEntity['kind'];
}

export function toAccount(user: UserEntity): GatewayAccount {
  return {
    accountId: user.id,
    kind: user.kind,
    claims: (): AccountClaims => ({
      sub: user.id,
      name: user.displayName ?? user.username,
      preferred_username: user.username,
      ...(user.email ? { email: user.email } : {}),
      updated_at: Math.floor(user.updatedAt.getTime() / 1000),
    }),
  };
}

export function accountOf(ctx: KoaContextWithOIDC): GatewayAccount | undefined {
  return ctx.oidc?.entities?.Account as GatewayAccount | undefined;
}
