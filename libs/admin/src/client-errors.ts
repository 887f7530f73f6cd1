import { HttpStatus } from '@nestjs/common';
import {
  ClientConflict,
  ClientHasNoSecret,
  ClientOwnedByServiceAccount,
  ClientPolicyViolation,
  ClientRuleViolation,
  ServiceAccountConflict,
  ServiceAccountRuleViolation,
} from '@erp-id/accounts';
import { AdminError } from './admin-error';

/**
 * The accounts services' own refusals (they guard the CLI too) as admin errors: registration rules
 * 400, the instance policy 422, conflicts with existing state 409; each names its field.
 */
export async function withClientErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ClientRuleViolation || err instanceof ServiceAccountRuleViolation) {
      throw AdminError.badRequest(err.message, [{ field: err.field, message: err.message }]);
    }
    if (err instanceof ClientPolicyViolation) {
      throw new AdminError(HttpStatus.UNPROCESSABLE_ENTITY, 'policy_violation', err.message, [
        { field: err.field, message: err.message },
      ]);
    }
    if (
      err instanceof ClientConflict ||
      err instanceof ClientOwnedByServiceAccount ||
      err instanceof ClientHasNoSecret ||
      err instanceof ServiceAccountConflict
    ) {
      throw AdminError.conflict(err.message);
    }
    throw err;
  }
}
