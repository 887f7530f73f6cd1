import {
  CustomDomainConflict,
  InstanceConflict,
  InstanceInputRejected,
  InstanceNameRejected,
  InstancePolicyRejected,
} from '@erp-id/instances';
import { AdminError } from './admin-error';
import { policiesRejected } from './policies-errors';

/**
 * The instances service's own refusals (they guard the CLI too) as admin errors. `policiesAt` is
 * where the policy document sits in the request body.
 */
export async function withInstanceErrors<T>(run: () => Promise<T>, policiesAt: string): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof InstanceNameRejected) {
      throw AdminError.badRequest(err.message, [{ field: 'name', message: err.message }]);
    }
    if (err instanceof InstanceInputRejected) {
      throw AdminError.badRequest(err.message, [{ field: err.field, message: err.message }]);
    }
    if (err instanceof InstancePolicyRejected) throw policiesRejected(err.problems, policiesAt);
    if (err instanceof InstanceConflict || err instanceof CustomDomainConflict) {
      throw AdminError.conflict(err.message);
    }
    throw err;
  }
}

export function instanceNotFound(name: string): AdminError {
  return AdminError.notFound(`instance ${name} does not exist`);
}
