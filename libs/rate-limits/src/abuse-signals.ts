import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@erp-id/audit';
import type { RateLimitName } from './rate-limiter';

/**
 * Abuse signals in the instance's audit log. Each is recorded once per subject and window (at the
 * first refusal), never per refused request: a flood must not turn into a flood of audit rows.
 * The actor is the source address: nobody has authenticated when a limit refuses a request.
 */
@Injectable()
export class AbuseSignals {
  constructor(private readonly audit: AuditRecorder) {}

  /** A request limit was reached: `rate_limit.exceeded`. */
  throttled(
    instanceId: string,
    limit: RateLimitName,
    sourceAddress: string,
    details: { windowSeconds: number; allowed: number; retryAfterSeconds: number; clientId?: string },
  ): Promise<void> {
    return this.audit.record(
      {
        instanceId,
        actor: sourceAddress,
        action: 'rate_limit.exceeded',
        target: details.clientId ? { type: 'client', id: details.clientId } : null,
        sourceAddress,
        details: { limit, ...details },
      },
      'system',
    );
  }

  /** An address failed client authentication too often and is refused for a while: `client_auth.locked_out`. */
  clientAuthLocked(
    instanceId: string,
    sourceAddress: string,
    details: { failures: number; retryAfterSeconds: number; clientId?: string },
  ): Promise<void> {
    return this.audit.record(
      {
        instanceId,
        actor: sourceAddress,
        action: 'client_auth.locked_out',
        target: details.clientId ? { type: 'client', id: details.clientId } : null,
        sourceAddress,
        details,
      },
      'system',
    );
  }
}
