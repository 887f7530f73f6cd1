import {
  ClientConflict,
  ClientHasNoSecret,
  ClientOwnedByServiceAccount,
  ClientPolicyViolation,
  ClientRuleViolation,
  ReferenceTokenRefused,
  ReferenceTokenRuleViolation,
  ServiceAccountConflict,
  ServiceAccountRuleViolation,
  UserConflict,
  UserRuleViolation,
} from '@erp-id/accounts';
import {
  CustomDomainConflict,
  InstanceConflict,
  InstanceInputRejected,
  InstanceNameRejected,
  InstancePolicyRejected,
} from '@erp-id/instances';
import { UnknownInstance } from '@erp-id/keys';
import { fail } from './output';

/**
 * The services' refusals, as a message for the user (naming the field where the accounts services name
 * one); null for anything else, which is a failure of the tool.
 */
export function refusalMessage(err: unknown): string | null {
  if (
    err instanceof ClientRuleViolation ||
    err instanceof ClientPolicyViolation ||
    err instanceof ServiceAccountRuleViolation ||
    err instanceof UserRuleViolation ||
    err instanceof ReferenceTokenRuleViolation ||
    err instanceof ReferenceTokenRefused
  ) {
    return `${err.field}: ${err.message}`;
  }
  if (
    err instanceof ClientConflict ||
    err instanceof ClientOwnedByServiceAccount ||
    err instanceof ClientHasNoSecret ||
    err instanceof ServiceAccountConflict ||
    err instanceof UserConflict ||
    err instanceof InstanceNameRejected ||
    err instanceof InstanceConflict ||
    err instanceof InstanceInputRejected ||
    err instanceof CustomDomainConflict ||
    err instanceof InstancePolicyRejected ||
    err instanceof UnknownInstance
  ) {
    return err.message;
  }
  return null;
}

/** Runs `work`; a refusal becomes a message and exit status 1, anything else propagates. */
export async function failOnRefusal(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    const refusal = refusalMessage(err);
    if (refusal === null) throw err;
    fail(refusal);
  }
}
