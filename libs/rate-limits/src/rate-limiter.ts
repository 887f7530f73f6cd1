import { Inject, Injectable, Logger } from '@nestjs/common';
import { GatewayConfig } from '@erp-id/config';
import { REDIS_CLIENT, type OptionalRedisClient, redisNamespace } from '@erp-id/state';
import { LRUCache } from 'lru-cache';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';

/** What a limit counts, named in keys, audit events and metrics. */
export type RateLimitName =
  'sign-in' | 'authorize' | 'token' | 'token-client' | 'introspection' | 'client-auth-failures' | 'admin';

export interface RateRule {
  /** Requests allowed in one window. */
  points: number;
  windowSeconds: number;
  /** Once the points are spent, refuse for this long (a lock) rather than until the window ends. */
  blockSeconds?: number;
}

export type RateDecision =
  | { allowed: true }
  | {
      allowed: false;
      retryAfterSeconds: number;
      /** The first refusal of this subject in this window: the moment worth an audit event. */
      firstRefusal: boolean;
    };

const ALLOWED: RateDecision = { allowed: true };
/** A store that cannot answer is logged at most this often, not on every request. */
const STORE_WARNING_INTERVAL_MS = 10_000;
/** Largest batch of requests a replica reserves at once, and the share of a limit it may be. */
const MAX_LEASE = 100;
const LEASE_SHARE = 0.01;
/** Subjects whose reservations a replica remembers; a flood from many addresses must not grow it unbounded. */
const MAX_LEASES = 50_000;

const retryAfterOf = (res: RateLimiterRes): number => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

const secondsUntil = (at: number, now: number): number => Math.max(1, Math.ceil((at - now) / 1000));

/**
 * Requests of one subject this replica has reserved in the shared store for the current window:
 * served without asking the store until they are spent or the window ends.
 */
interface Lease {
  remaining: number;
  /** When the store's window (or block) ends, in this process's clock. */
  endsAt: number;
  /** The store said the subject is over its limit until `endsAt`. */
  refused: boolean;
  /** A reservation on its way: concurrent requests wait for it instead of each reserving. */
  pending: Promise<void> | null;
}

/** How many requests one reservation takes: 1 for small limits (exact), at most 1% of the limit. */
const leaseSize = (points: number): number =>
  Math.max(1, Math.min(MAX_LEASE, Math.floor(points * LEASE_SHARE)));

/**
 * Fixed-window request counters shared by every replica: in Redis (one script per count, under the
 * instance's namespace, so deleting the instance removes them), or in this process in embedded mode.
 *
 * A replica reserves requests in batches (up to 1% of a limit, 1 for limits under 200) and serves a
 * batch from memory, so a busy subject costs the store one round trip per batch, not per request.
 * The store counts a batch in full when it is reserved, so a subject is never let past its limit; it
 * may be refused up to one batch per replica early, never late. Once the store refuses a subject,
 * each replica refuses it from memory until the window ends.
 * If Redis cannot answer, requests are let through: the limits protect the gateway, they must not
 * become the reason it refuses everyone.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  // `maxSize` (one per entry), not `max`: lru-cache would allocate all MAX_LEASES slots up front.
  private readonly leases = new LRUCache<string, Lease>({ maxSize: MAX_LEASES, sizeCalculation: () => 1 });
  private lastStoreWarning = 0;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: OptionalRedisClient,
    private readonly config: GatewayConfig,
  ) {}

  /**
   * Counts one request of `subject` against the rule; `instance` is null for the fleet-wide admin
   * API. Answers without a promise when the replica's reservation decides.
   */
  consume(
    instance: string | null,
    limit: RateLimitName,
    subject: string,
    rule: RateRule,
  ): RateDecision | Promise<RateDecision> {
    const key = this.keyOf(instance, limit, subject);
    const decided = this.fromLease(key);
    return decided ?? this.reserve(key, rule);
  }

  /** Seconds until `subject` may go on, without counting anything; 0 when it is within its limit. */
  async refusedFor(
    instance: string | null,
    limit: RateLimitName,
    subject: string,
    rule: RateRule,
  ): Promise<number> {
    try {
      const res = await this.limiterFor(rule).get(this.keyOf(instance, limit, subject));
      return res && res.consumedPoints > rule.points ? retryAfterOf(res) : 0;
    } catch (err) {
      this.storeFailed(err);
      return 0;
    }
  }

  private fromLease(key: string): RateDecision | null {
    const lease = this.leases.get(key);
    if (!lease || lease.pending) return null;
    const now = Date.now();
    if (now >= lease.endsAt) return null;
    if (lease.refused) {
      return { allowed: false, retryAfterSeconds: secondsUntil(lease.endsAt, now), firstRefusal: false };
    }
    if (lease.remaining === 0) return null;
    lease.remaining -= 1;
    return ALLOWED;
  }

  private async reserve(key: string, rule: RateRule): Promise<RateDecision> {
    const waiting = this.leases.get(key)?.pending;
    if (waiting) {
      await waiting;
      return this.fromLease(key) ?? this.reserve(key, rule);
    }
    const lease: Lease = { remaining: 0, endsAt: 0, refused: false, pending: null };
    let decision: RateDecision = ALLOWED;
    lease.pending = (async () => {
      decision = await this.reserveInStore(key, rule, lease);
    })();
    this.leases.set(key, lease);
    await lease.pending;
    lease.pending = null;
    return decision;
  }

  /** One reservation in the store; fills in the lease and decides the request that asked for it. */
  private async reserveInStore(key: string, rule: RateRule, lease: Lease): Promise<RateDecision> {
    const size = leaseSize(rule.points);
    let res: RateLimiterRes;
    let over = false;
    try {
      res = await this.limiterFor(rule).consume(key, size);
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) {
        this.storeFailed(outcome);
        return ALLOWED;
      }
      res = outcome;
      over = true;
    }
    const now = Date.now();
    lease.endsAt = now + res.msBeforeNext;
    // Requests of this batch that still fit under the limit (all of them unless it crossed it).
    const before = res.consumedPoints - size;
    const granted = over ? Math.max(0, Math.min(size, rule.points - before)) : size;
    if (granted > 0) {
      lease.remaining = granted - 1;
      return ALLOWED;
    }
    lease.refused = true;
    return {
      allowed: false,
      retryAfterSeconds: secondsUntil(lease.endsAt, now),
      // Every reservation of a rule is the same size, so exactly one refused reservation starts
      // within a batch of the limit: the subject's first refusal in the window.
      firstRefusal: before < rule.points + size,
    };
  }

  private keyOf(instance: string | null, limit: RateLimitName, subject: string): string {
    const prefix = this.config.redisKeyPrefix;
    return instance === null
      ? `${prefix}:fleet:rate:${limit}:${subject}`
      : `${redisNamespace(prefix, instance)}rate:${limit}:${subject}`;
  }

  // rate-limiter-flexible fixes points and duration per limiter object; instances choose their own.
  private limiterFor(rule: RateRule): RateLimiterAbstract {
    const id = `${rule.points}/${rule.windowSeconds}/${rule.blockSeconds ?? 0}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const options = {
        keyPrefix: '',
        points: rule.points,
        duration: rule.windowSeconds,
        blockDuration: rule.blockSeconds ?? 0,
      };
      limiter =
        this.redis === null
          ? new RateLimiterMemory(options)
          : new RateLimiterRedis({ ...options, storeClient: this.redis });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  private storeFailed(err: unknown): void {
    const now = Date.now();
    if (now - this.lastStoreWarning < STORE_WARNING_INTERVAL_MS) return;
    this.lastStoreWarning = now;
    this.logger.warn(
      `rate limits not enforced: the counter store did not answer (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}
