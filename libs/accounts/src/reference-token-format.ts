import { createHash, randomBytes } from 'node:crypto';
import type { ReferenceTokenKind } from '@erp-id/persistence';

/**
 * Reference tokens: `erp_pat_` (personal) or `erp_sat_` (service) followed by 43 base64url
 * characters (32 random bytes, 256 bits). The fixed prefixes let secret scanners recognise a
 * leaked token and let the gateway tell a reference token from a JWT or an oidc-provider token.
 */
export const REFERENCE_TOKEN_PREFIXES: Readonly<Record<ReferenceTokenKind, string>> = {
  personal: 'erp_pat_',
  service: 'erp_sat_',
};

const SHAPE = /^erp_(pat|sat)_[A-Za-z0-9_-]{43}$/;

export function newReferenceToken(kind: ReferenceTokenKind): string {
  return REFERENCE_TOKEN_PREFIXES[kind] + randomBytes(32).toString('base64url');
}

/** The kind a well-formed token announces; undefined for anything else (never looked up). */
export function referenceTokenKind(token: string): ReferenceTokenKind | undefined {
  const match = SHAPE.exec(token);
  if (!match) return undefined;
  return match[1] === 'pat' ? 'personal' : 'service';
}

/**
 * The stored form of a token. A plain SHA-256 is the right hash here, unlike for passwords: the
 * token carries 256 random bits, so there is nothing to guess and no dictionary to precompute, and
 * a fast hash keeps the per-request lookup cheap. Being deterministic, it can be the index key, so
 * a token is found by one index probe on its hash; timing of that probe tells an attacker only
 * about hashes of tokens they made up, never about a stored token.
 */
export function referenceTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
