import { createHash, type JsonWebKey } from 'node:crypto';

/** A JWK with only string members (what node's `export({ format: 'jwk' })` produces, plus kid/alg/use). */
export type Jwk = Record<string, string>;

const THUMBPRINT_MEMBERS: Record<string, readonly string[]> = {
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
};

/** RFC 7638 thumbprint: a kid derived from the key itself, so it never collides by accident. */
export function jwkThumbprint(jwk: Jwk): string {
  const members = THUMBPRINT_MEMBERS[jwk.kty ?? ''];
  if (!members) throw new Error(`unsupported key type ${jwk.kty}`);
  const canonical = JSON.stringify(Object.fromEntries(members.map((m) => [m, jwk[m]])));
  return createHash('sha256').update(canonical).digest('base64url');
}

export function toJwk(exported: JsonWebKey): Jwk {
  const out: Jwk = {};
  for (const [k, v] of Object.entries(exported)) if (typeof v === 'string') out[k] = v;
  return out;
}

const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']);

/** The public half of a JWK (what the JWKS publishes). */
export function publicPart(jwk: Jwk): Jwk {
  return Object.fromEntries(Object.entries(jwk).filter(([k]) => !PRIVATE_MEMBERS.has(k)));
}
