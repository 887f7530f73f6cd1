import { Injectable, Logger } from '@nestjs/common';

/** Who reset a user's factors. */
export type FactorResetSource = 'admin-api' | 'cli';

/** Identifies the user an event is about; never a secret or a code. */
export interface MfaSubject {
  instanceId: string;
  instance: string;
  userId: string;
}

/**
 * Every security event of the second factor, in one place, as structured log lines
 * (`event: mfa.*`). Abuse monitoring and, later, the audit log read them from here.
 */
@Injectable()
export class MfaEvents {
  private readonly logger = new Logger('Mfa');

  enrolled(subject: MfaSubject): void {
    this.logger.log({ event: 'mfa.enrolled', ...subject, factor: 'totp', msg: 'second factor enrolled' });
  }

  reset(subject: MfaSubject, source: FactorResetSource, factorsRemoved: number): void {
    this.logger.warn({
      event: 'mfa.reset',
      ...subject,
      source,
      factorsRemoved,
      msg: 'second factors reset: the user enrolls again at the next sign-in',
    });
  }

  recoveryCodeUsed(subject: MfaSubject, remaining: number): void {
    this.logger.warn({ event: 'mfa.recovery_code_used', ...subject, remaining, msg: 'recovery code used' });
  }

  codeRefused(subject: MfaSubject, reason: 'invalid' | 'replayed'): void {
    this.logger.log({ event: 'mfa.code_refused', ...subject, reason, msg: 'second-factor code refused' });
  }
}
