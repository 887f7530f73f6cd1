import type { z } from 'zod';
import { isJsonObject, type JsonObject, mergePatch } from './merge-patch';
import { type InstancePolicies, instancePolicySchema } from './policy-schema';

/** One reason a policy document was refused; `field` is a dotted path (`tokenLifetimes.accessToken`). */
export interface PolicyProblem {
  field: string;
  message: string;
}

export type PolicyPatchResult =
  | {
      ok: true;
      /** What to store: the fields set explicitly, so unset fields follow future defaults. */
      stored: JsonObject;
      /** What the instance runs with. */
      effective: InstancePolicies;
    }
  | { ok: false; problems: PolicyProblem[] };

function problemsOf(issues: readonly z.core.$ZodIssue[]): PolicyProblem[] {
  return issues.flatMap((issue): PolicyProblem[] => {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...at, key].join('.'), message: 'unknown policy field' }));
    }
    return [{ field: at.join('.'), message: issue.message }];
  });
}

/**
 * Applies a partial policy document (JSON Merge Patch: `null` resets a field to its default) to the
 * stored one and validates the result as a whole, so cross-field rules see the merged values. An
 * unknown field, anywhere, is a problem naming it.
 */
export function validatePolicyPatch(current: unknown, patch: unknown): PolicyPatchResult {
  if (!isJsonObject(patch)) return { ok: false, problems: [{ field: '', message: 'must be a JSON object' }] };
  const merged = mergePatch(isJsonObject(current) ? current : {}, patch) as JsonObject;
  const parsed = instancePolicySchema.safeParse(merged);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error.issues) };
  return { ok: true, stored: merged, effective: parsed.data };
}
