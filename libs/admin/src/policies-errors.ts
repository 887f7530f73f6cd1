import { HttpStatus } from '@nestjs/common';
import type { PolicyProblem } from '@erp-id/policies';
import { AdminError } from './admin-error';

/**
 * 422 for policies that are well-formed JSON but not acceptable values (or unknown fields). Each
 * detail names its field from the root of the request body: `at` is where the policy document sits
 * in it (`policies` in an instance body, nothing when the body is the policy document).
 */
export function policiesRejected(problems: readonly PolicyProblem[], at: string): AdminError {
  const details = problems.map((p) => ({
    field: [at, p.field].filter(Boolean).join('.'),
    message: p.message,
  }));
  return new AdminError(
    HttpStatus.UNPROCESSABLE_ENTITY,
    'invalid_policy',
    `invalid policies: ${details.map((d) => d.field || 'body').join(', ')}`,
    details,
  );
}
