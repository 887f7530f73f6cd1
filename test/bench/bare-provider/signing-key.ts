import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { JWK } from 'oidc-provider';

/** A fresh RS256 key of the size the gateway generates for every instance (RSA 2048). */
export function generateRs256Jwk(): JWK {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  // Any stable, unique kid does; the gateway uses the RFC 7638 thumbprint, this one need not.
  const kid = createHash('sha256').update(String(jwk.n)).digest('base64url').slice(0, 16);
  return { ...jwk, kid, alg: 'RS256', use: 'sig' } as JWK;
}

/** Cookie signing keys; the token endpoint never sets cookies, but the provider wants them configured. */
export function randomCookieKeys(): string[] {
  return [randomBytes(32).toString('base64url')];
}
