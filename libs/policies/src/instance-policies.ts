import { instancePolicySchema, type InstancePolicies, storedPolicySchema } from './policy-schema';

export { instancePolicySchema };
export type { InstancePolicies };

/** Every policy at its default. */
export function defaultPolicies(): InstancePolicies {
  return instancePolicySchema.parse({});
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An instance's effective policies from its stored value. Never throws: the gateway must keep serving
 * whatever the database holds, so a section that cannot be read falls back to its defaults while
 * every readable section is kept.
 */
export function instancePolicies(raw: unknown): InstancePolicies {
  const candidate: Record<string, unknown> = isObject(raw) ? { ...raw } : {};
  const sections = Object.keys(storedPolicySchema.shape).length;
  // Each round drops at least one unreadable section, so this ends; the bound is only a guard.
  for (let round = 0; round <= sections; round += 1) {
    const parsed = storedPolicySchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues;
    if (issues.some((issue) => issue.path.length === 0)) break;
    for (const issue of issues) delete candidate[String(issue.path[0])];
  }
  return defaultPolicies();
}
