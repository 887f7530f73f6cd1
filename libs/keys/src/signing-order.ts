import type { SigningKeyEntity, SigningKeyState } from '@erp-id/persistence';

/** The key fields that decide signing order and the schedule (no key material). */
export type SigningKeyDates = Pick<SigningKeyEntity, 'state' | 'createdAt' | 'activatedAt' | 'retiredAt'>;

const STATE_ORDER: Record<SigningKeyState, number> = { active: 0, next: 1, retired: 2 };

/** Since when a key signs (or would have): activation, or creation for rows made before it was recorded. */
export const activeSince = (key: SigningKeyDates): Date => key.activatedAt ?? key.createdAt;

/**
 * Active first, then next, then retired; newest first within a state. oidc-provider signs ID tokens
 * with the first key of the wanted algorithm in its JWKS, so this order is what makes the active key
 * sign even when next or retired keys of the same algorithm are published beside it.
 */
export function compareForSigning(a: SigningKeyDates, b: SigningKeyDates): number {
  return (
    STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
    +activeSince(b) - +activeSince(a) ||
    +b.createdAt - +a.createdAt
  );
}
