import type { ReferenceTokenApi } from '@erp-id/persistence';

export const REFERENCE_TOKEN_KINDS = ['personal', 'service'] as const;
export const REFERENCE_TOKEN_APIS: readonly ReferenceTokenApi[] = ['domain', 'table'];
export const REFERENCE_TOKEN_DESCRIPTION_MAX_LENGTH = 1000;

/** The request itself is wrong (a past expiry, an unknown API, a malformed id): 400. */
export class ReferenceTokenRuleViolation extends Error {
  override readonly name = 'ReferenceTokenRuleViolation';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Well formed, but the subject cannot have such a token (unknown or disabled subject, an external
 * user, a scope the service account does not have): 422.
 */
export class ReferenceTokenRefused extends Error {
  override readonly name = 'ReferenceTokenRefused';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
