import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { RateLimiter, type RateRule } from './rate-limiter';

/** How many failed client authentications an address may have before it is refused, and for how long. */
export interface ClientAuthLockRule {
  /** Failures allowed within the window; the next one locks the address. */
  maxFailures: number;
  windowSeconds: number;
  lockSeconds: number;
}

export interface ClientAuthFailure {
  /** Seconds the address is now refused for; 0 while it is still within its failures. */
  lockedForSeconds: number;
  /** This failure is the one that locked the address (worth an audit event). */
  newlyLocked: boolean;
}

/** Locks this replica remembers; an attack from many addresses must not grow it without bound. */
const MAX_REMEMBERED_LOCKS = 10_000;

const rateRule = (rule: ClientAuthLockRule): RateRule => ({
  points: rule.maxFailures,
  windowSeconds: rule.windowSeconds,
  blockSeconds: rule.lockSeconds,
});

/**
 * Failed client authentications per source address, counted by every replica together, like failed
 * passwords: past the allowed number the address is refused for the lock's duration. Each replica
 * also remembers the locks it has seen, so a locked address is turned away before the provider
 * does any work, without asking the store on every request.
 */
@Injectable()
export class ClientAuthThrottle {
  private readonly known = new LRUCache<string, number>({ max: MAX_REMEMBERED_LOCKS });

  constructor(private readonly limiter: RateLimiter) {}

  /** Seconds this replica knows the address to be locked for; no round trip to the store. */
  knownLockFor(instance: string, subject: string): number {
    // Every token request asks; while no address is locked there is no key to build or look up.
    if (this.known.size === 0) return 0;
    const until = this.known.get(`${instance}\n${subject}`);
    if (until === undefined) return 0;
    const left = until - Date.now();
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  /** Seconds the address is locked for, as the shared store says (asked before a costly secret check). */
  async lockedFor(instance: string, subject: string, rule: ClientAuthLockRule): Promise<number> {
    const seconds = await this.limiter.refusedFor(instance, 'client-auth-failures', subject, rateRule(rule));
    if (seconds > 0) this.remember(instance, subject, seconds);
    return seconds;
  }

  async recordFailure(
    instance: string,
    subject: string,
    rule: ClientAuthLockRule,
  ): Promise<ClientAuthFailure> {
    const decision = await this.limiter.consume(instance, 'client-auth-failures', subject, rateRule(rule));
    if (decision.allowed) return { lockedForSeconds: 0, newlyLocked: false };
    this.remember(instance, subject, decision.retryAfterSeconds);
    return { lockedForSeconds: decision.retryAfterSeconds, newlyLocked: decision.firstRefusal };
  }

  private remember(instance: string, subject: string, seconds: number): void {
    this.known.set(`${instance}\n${subject}`, Date.now() + seconds * 1000);
  }
}
