import type { UserKind } from '@erp-id/persistence';
import type { InstancePolicies } from '@erp-id/policies';

/** Whether the instance's policy makes a user of this kind present a second factor. */
export function policyRequiresSecondFactor(policies: Pick<InstancePolicies, 'mfa'>, kind: UserKind): boolean {
  const required = policies.mfa.required;
  return required === 'all' || (required === 'internal' && kind === 'internal');
}
