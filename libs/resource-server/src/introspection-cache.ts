import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** Enough distinct tokens for a busy API; the least recently used answer goes first. */
const MAX_ENTRIES = 10_000;

export type CachedVerdict<T> =
  { accepted: true; value: T; expiresAtMs: number | null } | { accepted: false; description: string };

/**
 * Introspection answers reused for a short time (default 1 s), so a burst of calls with one token
 * costs one round trip while a revocation still takes effect within that time. Entries are keyed by
 * the token's SHA-256: the map never holds a token. An accepted entry never outlives its token, and
 * concurrent first requests for one token share a single introspection.
 */
export class IntrospectionCache<T> {
  private readonly answers: LRUCache<string, CachedVerdict<T>> | undefined;
  private readonly inFlight = new Map<string, Promise<CachedVerdict<T>>>();

  constructor(private readonly ttlMs: number) {
    this.answers =
      ttlMs > 0 ? new LRUCache({ max: MAX_ENTRIES, ttl: ttlMs, ttlAutopurge: false }) : undefined;
  }

  async get(token: string, load: () => Promise<CachedVerdict<T>>): Promise<CachedVerdict<T>> {
    const key = createHash('sha256').update(token).digest('base64url');
    const cached = this.answers?.get(key);
    if (cached && !(cached.accepted && cached.expiresAtMs !== null && cached.expiresAtMs <= Date.now()))
      return cached;
    const running = this.inFlight.get(key);
    if (running) return running;
    const loading = load().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, loading);
    const verdict = await loading;
    this.remember(key, verdict);
    return verdict;
  }

  private remember(key: string, verdict: CachedVerdict<T>): void {
    if (!this.answers) return;
    const untilExpiry =
      verdict.accepted && verdict.expiresAtMs !== null ? verdict.expiresAtMs - Date.now() : Infinity;
    const ttl = Math.min(this.ttlMs, untilExpiry);
    if (ttl >= 1) this.answers.set(key, verdict, { ttl: Math.floor(ttl) });
  }
}
