import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@erp-id/audit';
import type { RateLimitName } from './rate-limiter';

interface Refusal {
  retryAfterSeconds: number;
  /** The client the refused requests named (per-client limits, failed client authentications). */
  clientId?: string;
}

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
    details: Refusal & { windowSeconds: number; allowed: number },
  ): Promise<void> {
    return this.record(instanceId, 'rate_limit.exceeded', sourceAddress, { limit, ...details });
  }

  /** An address failed client authentication too often and is refused for a while: `client_auth.locked_out`. */
  clientAuthLocked(
    instanceId: string,
    sourceAddress: string,
    details: Refusal & { failures: number },
  ): Promise<void> {
    return this.record(instanceId, 'client_auth.locked_out', sourceAddress, { ...details });
  }

  private record(
    instanceId: string,
    action: string,
    sourceAddress: string,
    details: Refusal & Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(
      {
        instanceId,
        actor: sourceAddress,
        action,
        target: details.clientId ? { type: 'client', id: details.clientId } : null,
        sourceAddress,
        details,
      },
      'system',
    );
  }
}
