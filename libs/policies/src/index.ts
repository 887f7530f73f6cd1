export { defaultPolicies, instancePolicies, instancePolicySchema } from './instance-policies';
export type { InstancePolicies } from './instance-policies';
export { validatePolicyPatch } from './policy-patch';
export type { PolicyPatchResult, PolicyProblem } from './policy-patch';
export { addressInRanges, isCidr } from './cidr';
export { MFA_REQUIREMENTS, POLICY_GRANT_TYPES, POLICY_RESPONSE_TYPES } from './policy-choices';
export type { MfaRequirement, PolicyGrantType, PolicyResponseType } from './policy-choices';
