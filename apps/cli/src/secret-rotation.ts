import { MAX_SECRET_GRACE_SECONDS } from '@erp-id/accounts';
import type { OptionMetadata } from 'nest-commander';
import { wholeNumber } from './cli-options';
import type { OutputOptions } from './output';

/** What the `rotate-secret` commands (clients and service accounts) are given. */
export interface RotateSecretOptions extends OutputOptions {
  gracePeriod?: number;
}

export const GRACE_PERIOD_OPTION: OptionMetadata = {
  flags: '--grace-period <seconds>',
  description: `how long the old secret keeps working (0 to ${MAX_SECRET_GRACE_SECONDS}; default 0)`,
};

export const parseGracePeriod = (value: string): number =>
  wholeNumber('--grace-period', value, 0, MAX_SECRET_GRACE_SECONDS);

export function describeRotation(secret: string, previousUntil: string | null): string {
  return [
    `new secret (shown once): ${secret}`,
    previousUntil
      ? `the previous secret works until ${previousUntil}`
      : 'the previous secret no longer works',
  ].join('\n');
}
