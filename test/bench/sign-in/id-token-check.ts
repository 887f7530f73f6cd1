import { createLocalJWKSet, errors, jwtVerify } from 'jose';
import type { SignedIn } from '../../support/headless-sign-in';
import type { BenchUser, SignInTarget } from './sign-in-target';

/** Checks one sign-in's id_token; resolves to what is wrong with it, undefined when nothing is. */
export type IdTokenCheck = (signedIn: SignedIn, user: BenchUser) => Promise<string | undefined>;

/**
 * Verifies id_tokens the way the relying party must: signature against the instance's published
 * keys (only with the algorithms those keys are for), issuer, audience, expiry, the nonce the app
 * sent, and the subject of the user who typed the password. A flow that ends with any other token
 * did not sign anyone in.
 */
export function idTokenCheck(target: SignInTarget): IdTokenCheck {
  const keys = createLocalJWKSet(target.jwks);
  const algorithms = [...new Set(target.jwks.keys.map((k) => k.alg).filter((a): a is string => !!a))];
  if (!algorithms.length) throw new Error(`the JWKS of ${target.issuer} names no algorithm`);
  return async (signedIn, user) => {
    try {
      const { payload } = await jwtVerify(signedIn.idToken, keys, {
        issuer: target.issuer,
        audience: target.client.clientId,
        algorithms,
      });
      if (payload.nonce !== signedIn.nonce) return `nonce ${String(payload.nonce)} is not the one sent`;
      if (payload.sub !== user.id)
        return `sub ${String(payload.sub)} is not ${user.username}'s id ${user.id}`;
      return undefined;
    } catch (err) {
      if (err instanceof errors.JOSEError) return `${err.code}: ${err.message}`;
      throw err;
    }
  };
}
