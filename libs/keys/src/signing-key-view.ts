import type { SigningKeyEntity, SigningKeyState } from '@erp-id/persistence';

/** A signing key as the admin API and the CLI show it: never key material. */
export interface SigningKeyView {
  kid: string;
  alg: string;
  state: SigningKeyState;
  createdAt: string;
  activatedAt: string | null;
  retiredAt: string | null;
}

export function toSigningKeyView(
  row: Pick<SigningKeyEntity, 'kid' | 'alg' | 'state' | 'createdAt' | 'activatedAt' | 'retiredAt'>,
): SigningKeyView {
  return {
    kid: row.kid,
    alg: row.alg,
    state: row.state,
    createdAt: row.createdAt.toISOString(),
    activatedAt: row.activatedAt?.toISOString() ?? null,
    retiredAt: row.retiredAt?.toISOString() ?? null,
  };
}
