import { createHash } from 'node:crypto';
import { AccessTokenVerifier, type FetchLike, type Principal } from '@erp-id/resource-server';
import { LRUCache } from 'lru-cache';
import { resolveResourceServerOptions } from '../../../libs/resource-server/src/resource-server-options';
import { loopbackCustomFetch } from '../../support/loopback-fetch';
import { concurrentLoops } from './concurrent-loops';

/** What an API of the benchmark instance is configured with, and the tokens it is handed. */
export interface LibraryTarget {
  issuer: string;
  audience: string;
  introspection: { clientId: string; clientSecret: string };
  /** Distinct personal access tokens of one user, one per loop in flight. */
  tokens: readonly string[];
  /** The user's id: every accepted token must name it. */
  subject: string;
}

export interface LibraryRun {
  verificationsPerSec: number;
  verifications: number;
  /** CPU of this process per verification: the library, and for introspections its HTTP client. */
  cpuUsEach: number;
  /** Introspection requests the library sent to the gateway during the measured seconds. */
  introspections: number;
}

export interface LibraryVerificationResult {
  /** The cache lifetime of the cached run: the library's default, as an API runs it. */
  cacheTtlMs: number;
  /** Tokens (and loops) in flight at once. */
  inFlight: number;
  /** `cacheTtlMs: 0`: every verification is one introspection request to the gateway. */
  uncached: LibraryRun;
  /** The cache warm: a token costs one introspection per cache lifetime. */
  cached: LibraryRun;
  /** Baseline of the cached run: SHA-256 of the token and an lru-cache get, as bare as a cache gets. */
  lru: { lookupsPerSec: number; cpuUsEach: number };
}

interface Timing {
  warmupSec: number;
  durationSec: number;
}

/** A verifier as an ERP API builds it, counting the introspection requests it sends. */
function countingVerifier(
  target: LibraryTarget,
  cacheTtlMs: number | undefined,
): { verifier: AccessTokenVerifier; cacheTtlMs: number; introspections: () => number } {
  let introspections = 0;
  // Instance hosts do not resolve everywhere; the undici-typed fetch is the WHATWG one at runtime.
  const loopback = loopbackCustomFetch as unknown as FetchLike;
  const options = resolveResourceServerOptions({
    issuer: target.issuer,
    audience: target.audience,
    introspection: target.introspection,
    cacheTtlMs,
    allowHttp: true,
    // The library's only POST is an introspection; discovery is a GET.
    fetch: (input, init) => {
      if (init?.method === 'POST') introspections++;
      return loopback(input, init);
    },
  });
  return {
    verifier: new AccessTokenVerifier(options),
    cacheTtlMs: options.cacheTtlMs,
    introspections: () => introspections,
  };
}

function acceptOnly(target: LibraryTarget, principal: Principal): void {
  if (principal.subject !== target.subject || principal.tokenType !== 'reference') {
    throw new Error(
      `the library accepted a benchmark token as ${principal.tokenType} token of "${principal.subject}"`,
    );
  }
}

async function measureVerifier(
  target: LibraryTarget,
  cacheTtlMs: number | undefined,
  timing: Timing,
): Promise<LibraryRun & { cacheTtlMs: number }> {
  const counting = countingVerifier(target, cacheTtlMs);
  const verify = async (loop: number): Promise<void> =>
    acceptOnly(target, await counting.verifier.verify(target.tokens[loop]!));
  // Every token is accepted before anything is timed (this also reads the issuer's discovery).
  for (let loop = 0; loop < target.tokens.length; loop++) await verify(loop);
  await concurrentLoops(target.tokens.length, timing.warmupSec, verify);
  const before = counting.introspections();
  const run = await concurrentLoops(target.tokens.length, timing.durationSec, verify);
  return {
    cacheTtlMs: counting.cacheTtlMs,
    verificationsPerSec: run.perSec,
    verifications: run.count,
    cpuUsEach: run.cpuUs / run.count,
    introspections: counting.introspections() - before,
  };
}

/** The bare lookup the cached path is built on, with the same loops in flight. */
async function measureLruLookups(
  target: LibraryTarget,
  timing: Timing,
): Promise<LibraryVerificationResult['lru']> {
  const keyOf = (token: string): string => createHash('sha256').update(token).digest('base64url');
  const answers = new LRUCache<string, { subject: string }>({ max: 10_000, ttl: 60_000 });
  for (const token of target.tokens) answers.set(keyOf(token), { subject: target.subject });
  const lookup = (loop: number): Promise<void> => {
    if (answers.get(keyOf(target.tokens[loop]!))?.subject !== target.subject) {
      return Promise.reject(new Error('the baseline cache lost an entry'));
    }
    return Promise.resolve();
  };
  await concurrentLoops(target.tokens.length, timing.warmupSec, lookup);
  const run = await concurrentLoops(target.tokens.length, timing.durationSec, lookup);
  return { lookupsPerSec: run.perSec, cpuUsEach: run.cpuUs / run.count };
}

/**
 * Reference-token verifications through the resource-server library's AccessTokenVerifier (what
 * the `erp-bearer` strategy calls), in this process against the gateway: first with the cache off
 * (`cacheTtlMs: 0`, a documented setting), so each verification is an introspection request; then
 * with the default cache, warm. One token per loop in flight, so concurrent verifications never
 * share one request. Every verification must return the token's user.
 */
export async function measureLibraryVerification(
  target: LibraryTarget,
  timing: Timing,
): Promise<LibraryVerificationResult> {
  const { cacheTtlMs: uncachedTtl, ...uncached } = await measureVerifier(target, 0, timing);
  if (uncachedTtl !== 0 || uncached.introspections !== uncached.verifications) {
    throw new Error(
      `with the cache off, ${uncached.verifications} verifications sent ${uncached.introspections} introspections`,
    );
  }
  const { cacheTtlMs, ...cached } = await measureVerifier(target, undefined, timing);
  return {
    cacheTtlMs,
    inFlight: target.tokens.length,
    uncached,
    cached,
    lru: await measureLruLookups(target, timing),
  };
}
