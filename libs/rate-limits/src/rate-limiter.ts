import { Inject, Injectable, Logger } from '@nestjs/common';
import { GatewayConfig } from '@erp-id/config';
import { REDIS_CLIENT, type OptionalRedisClient, redisNamespace } from '@erp-id/state';
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

const retryAfterOf = (res: RateLimiterRes): number => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/**
 * Fixed-window request counters shared by every replica: in Redis (one script per count, under the
 * instance's namespace, so deleting the instance removes them), or in this process in embedded mode.
 * If Redis cannot answer, requests are let through: the limits protect the gateway, they must not
 * become the reason it refuses everyone.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private lastStoreWarning = 0;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: OptionalRedisClient,
    private readonly config: GatewayConfig,
  ) {}

  /** Counts one request of `subject` against the rule; `instance` is null for the fleet-wide admin API. */
  async consume(
    instance: string | null,
    limit: RateLimitName,
    subject: string,
    rule: RateRule,
  ): Promise<RateDecision> {
    try {
      await this.limiterFor(rule).consume(this.keyOf(instance, limit, subject));
      return ALLOWED;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        return {
          allowed: false,
          retryAfterSeconds: retryAfterOf(outcome),
          firstRefusal: outcome.consumedPoints === rule.points + 1,
        };
      }
      this.storeFailed(outcome);
      return ALLOWED;
    }
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
