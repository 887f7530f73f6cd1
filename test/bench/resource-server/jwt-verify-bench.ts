import { AccessTokenVerifier } from '@erp-id/resource-server';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { resolveResourceServerOptions } from '../../../libs/resource-server/src/resource-server-options';

const ISSUER = 'https://bench.my.erp.net/id';
const AUDIENCE = 'https://bench.my.erp.net/api/domain';
const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

export interface JwtVerifyRound {
  baselinePerSec: number;
  libraryPerSec: number;
}

export interface JwtVerifyBenchResult {
  rounds: JwtVerifyRound[];
  baselinePerSec: number;
  libraryPerSec: number;
  /** Library verifications/s divided by bare jose verifications/s. */
  ratio: number;
}

/** Verifications per second of `verify`, awaited one after another for `seconds`. */
async function rate(verify: () => Promise<unknown>, seconds: number): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let count = 0;
  const started = performance.now();
  while (performance.now() < until) {
    // A batch between clock reads keeps the clock out of the measurement.
    for (let i = 0; i < 50; i++) await verify();
    count += 50;
  }
  return count / ((performance.now() - started) / 1000);
}

/**
 * Local JWT access token verification in-process: the resource-server library's verifier (JWKS
 * downloaded once through its discovery, then cached) against a bare jose `jwtVerify` with the same
 * key, token and checks. Rounds alternate so drift on the machine hits both alike.
 */
export async function measureJwtVerification(
  durationSec: number,
  warmupSec: number,
  rounds: number,
): Promise<JwtVerifyBenchResult> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'RS256', use: 'sig' };
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({
    sub: 'user-1',
    client_id: 'portal',
    scope: 'read update',
    jti: 'bench',
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'bench-1' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 24 * 3600)
    .sign(privateKey);

  // The issuer's two documents served from memory: the figure is verification, not the network.
  const documents: Record<string, unknown> = {
    [`${ISSUER}/.well-known/openid-configuration`]: { issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` },
    [`${ISSUER}/jwks`]: { keys: [jwk] },
  };
  const library = new AccessTokenVerifier(
    resolveResourceServerOptions({
      issuer: ISSUER,
      audience: AUDIENCE,
      fetch: (input) => {
        const body = documents[input];
        return Promise.resolve(
          new Response(JSON.stringify(body ?? {}), {
            status: body ? 200 : 404,
            headers: { 'content-type': 'application/json' },
          }),
        );
      },
    }),
  );
  const bare = () =>
    jwtVerify(token, publicKey, {
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: 'at+jwt',
      algorithms: ALGORITHMS,
      clockTolerance: 15,
      requiredClaims: ['exp', 'iat', 'sub', 'client_id'],
    });
  const viaLibrary = () => library.verify(token);
  // Both must accept the token before either is timed.
  await bare();
  await viaLibrary();
  await rate(bare, warmupSec);
  await rate(viaLibrary, warmupSec);

  const measured: JwtVerifyRound[] = [];
  for (let i = 0; i < rounds; i++) {
    const baselinePerSec = await rate(bare, durationSec);
    const libraryPerSec = await rate(viaLibrary, durationSec);
    console.log(
      `  round ${i + 1}: jose ${baselinePerSec.toFixed(0)}/s, library ${libraryPerSec.toFixed(0)}/s`,
    );
    measured.push({ baselinePerSec, libraryPerSec });
  }
  const mean = (pick: (r: JwtVerifyRound) => number) =>
    measured.reduce((sum, r) => sum + pick(r), 0) / measured.length;
  const baselinePerSec = mean((r) => r.baselinePerSec);
  const libraryPerSec = mean((r) => r.libraryPerSec);
  return { rounds: measured, baselinePerSec, libraryPerSec, ratio: libraryPerSec / baselinePerSec };
}
