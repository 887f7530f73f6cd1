import { z } from 'zod';

/**
 * Any JSON object: the policy schema itself judges the fields (422 naming each bad one), so that a
 * wrong value is told apart from a body that is not a policy document at all (400).
 */
export const policyPatchSchema = z.record(z.string(), z.unknown());
export type PolicyPatchDto = z.infer<typeof policyPatchSchema>;
