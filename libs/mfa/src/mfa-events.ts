import { Injectable, Logger } from '@nestjs/common';
import { AuditRecorder } from '@erp-id/audit';

/** Who reset a user's factors. */
export type FactorResetSource = 'admin-api' | 'cli';

/** Identifies the user an event is about; never a secret or a code. */
export interface MfaSubject {
  instanceId: string;
  instance: string;
  userId: string;
}

/**
 * Every security event of the second factor, in one place: a structured log line (`event: mfa.*`)
 * for monitoring, and a row in the instance's audit log. A reset through the admin API is audited
 * by the admin API itself (with the admin token as the actor), so only the CLI's is recorded here.
 */
@Injectable()
export class MfaEvents {
  private readonly logger = new Logger('Mfa');

  constructor(private readonly audit: AuditRecorder) {}

  enrolled(subject: MfaSubject): void {
    this.logger.log({ event: 'mfa.enrolled', ...subject, factor: 'totp', msg: 'second factor enrolled' });
    this.record(subject, 'mfa.enrolled', subject.userId, { factor: 'totp' });
  }

  reset(subject: MfaSubject, source: FactorResetSource, factorsRemoved: number): void {
    this.logger.warn({
      event: 'mfa.reset',
      ...subject,
      source,
      factorsRemoved,
      msg: 'second factors reset: the user enrolls again at the next sign-in',
    });
    if (source === 'cli') this.record(subject, 'mfa.reset', 'cli', { factorsRemoved });
  }

  recoveryCodeUsed(subject: MfaSubject, remaining: number): void {
    this.logger.warn({ event: 'mfa.recovery_code_used', ...subject, remaining, msg: 'recovery code used' });
    this.record(subject, 'mfa.recovery_code_used', subject.userId, { remaining });
  }

  codeRefused(subject: MfaSubject, reason: 'invalid' | 'replayed'): void {
    this.logger.log({ event: 'mfa.code_refused', ...subject, reason, msg: 'second-factor code refused' });
    this.record(subject, 'mfa.code_refused', subject.userId, { reason });
  }

  /** The recorder never rejects (it logs and counts its own failures), so nothing waits for it. */
  private record(subject: MfaSubject, action: string, actor: string, details: Record<string, unknown>): void {
    void this.audit.record(
      {
        instanceId: subject.instanceId,
        actor,
        action,
        target: { type: 'user', id: subject.userId },
        details,
      },
      actor === 'cli' ? 'system' : 'sign_in',
    );
  }
}
