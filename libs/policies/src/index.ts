export { instancePolicies, instancePolicySchema } from './instance-policies';
export type { InstancePolicies } from './instance-policies';
