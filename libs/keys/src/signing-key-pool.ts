import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { SigningAlgorithm } from './signing-algorithms';
import { type GeneratedSigningKey, generateSigningKey } from './signing-key-generator';

/** Keys kept ready per algorithm: a burst of onboardings this long never waits for a key. */
export const POOL_SIZE = 8;

/**
 * Only RSA keys are worth keeping ready: one takes a few hundred milliseconds of CPU, with a long
 * tail (finding primes is random), while EC and Ed25519 keys take well under a millisecond.
 */
const POOLED: ReadonlySet<SigningAlgorithm> = new Set(['RS256', 'PS256']);

/**
 * Signing keys generated ahead of need, so that onboarding an instance or rotating its key does
 * not wait for RSA key generation. The pool starts filling the first time a pooled algorithm is
 * asked for (a gateway that never onboards spends nothing), refills one key at a time on a libuv
 * worker, and never hands out a key twice. Unused keys live only in this process's memory and are
 * dropped with it; a key is sealed under the key-encryption key when it is taken and stored.
 */
@Injectable()
export class SigningKeyPool implements OnApplicationShutdown {
  private readonly ready = new Map<SigningAlgorithm, GeneratedSigningKey[]>();
  private readonly filling = new Set<SigningAlgorithm>();
  private stopped = false;

  async take(alg: SigningAlgorithm): Promise<GeneratedSigningKey> {
    if (!POOLED.has(alg)) return generateSigningKey(alg);
    const key = this.ready.get(alg)?.shift();
    this.refill(alg);
    return key ?? generateSigningKey(alg);
  }

  /** Keys ready for an algorithm (for tests and metrics). */
  size(alg: SigningAlgorithm): number {
    return this.ready.get(alg)?.length ?? 0;
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.ready.clear();
  }

  private refill(alg: SigningAlgorithm): void {
    if (this.filling.has(alg) || this.stopped) return;
    this.filling.add(alg);
    void (async () => {
      try {
        while (!this.stopped && this.size(alg) < POOL_SIZE) {
          const key = await generateSigningKey(alg);
          if (this.stopped) return;
          const keys = this.ready.get(alg) ?? [];
          keys.push(key);
          this.ready.set(alg, keys);
        }
      } catch {
        // A failed generation leaves the pool short; the next take generates on demand and retries.
      } finally {
        this.filling.delete(alg);
      }
    })();
  }
}
