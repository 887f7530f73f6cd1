import {
  ClientConflict,
  ClientHasNoSecret,
  ClientOwnedByServiceAccount,
  ClientPolicyViolation,
  ClientRuleViolation,
  ServiceAccountConflict,
  ServiceAccountRuleViolation,
  UserConflict,
  UserRuleViolation,
} from '@erp-id/accounts';

/**
 * The accounts services' refusals, as a message for the user (naming the field where there is one);
 * null for anything else, which is a failure of the tool.
 */
export function refusalMessage(err: unknown): string | null {
  if (
    err instanceof ClientRuleViolation ||
    err instanceof ClientPolicyViolation ||
    err instanceof ServiceAccountRuleViolation ||
    err instanceof UserRuleViolation
  ) {
    return `${err.field}: ${err.message}`;
  }
  if (
    err instanceof ClientConflict ||
    err instanceof ClientOwnedByServiceAccount ||
    err instanceof ClientHasNoSecret ||
    err instanceof ServiceAccountConflict ||
    err instanceof UserConflict
  ) {
    return err.message;
  }
  return null;
}
