import { Injectable } from '@nestjs/common';
import { instancePolicies } from '@erp-id/policies';
import { AbuseSignals, RateLimiter, rateSubjectOf } from '@erp-id/rate-limits';
import type { ResolvedTenant } from '@erp-id/tenancy';

/**
 * The instance's limit on sign-in form posts (passwords and codes) per client address, shared by
 * every replica. It bounds how fast one address can try anything at all, before the per-account and
 * per-address lockouts, which count only failures, come into play.
 */
@Injectable()
export class SignInLimit {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly signals: AbuseSignals,
  ) {}

  /** Counts one post; the seconds to wait when it is over the limit, else 0. */
  async refusedFor(tenant: ResolvedTenant): Promise<number> {
    const { instance } = tenant;
    const rules = instancePolicies(instance.policies).rateLimits;
    if (rules.signInPerAddress === 0) return 0;
    const subject = rateSubjectOf(tenant.origin.clientIp);
    const rule = { points: rules.signInPerAddress, windowSeconds: rules.windowSeconds };
    const decision = await this.limiter.consume(instance.name, 'sign-in', subject, rule);
    if (decision.allowed) return 0;
    if (decision.firstRefusal) {
      await this.signals.throttled(instance.id, 'sign-in', subject, {
        windowSeconds: rule.windowSeconds,
        allowed: rule.points,
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
    return decision.retryAfterSeconds;
  }
}
