import { SIGNING_ALGORITHMS } from '@erp-id/keys';
import { z } from 'zod';

const seconds = (fallback: number) =>
  z
    .number()
    .int()
    .positive()
    .max(400 * 24 * 3600)
    .default(fallback);

/**
 * An instance's policies with their safe defaults. Stored as JSON on the instance; every part of
 * the product reads its section through `instancePolicies()`, so a missing field is its default.
 */
export const instancePolicySchema = z.object({
  signingAlgorithm: z.enum(SIGNING_ALGORITHMS).default('RS256'),
  tokenLifetimes: z
    .object({
      accessToken: seconds(3600),
      clientCredentials: seconds(3600),
      idToken: seconds(3600),
      authorizationCode: seconds(60),
      refreshToken: seconds(30 * 24 * 3600),
    })
    .prefault({}),
  session: z
    .object({
      absoluteLifetime: seconds(14 * 24 * 3600),
      idleLifetime: seconds(24 * 3600),
    })
    .prefault({}),
  lockout: z
    .object({
      maxAttempts: z.number().int().min(1).max(100).default(5),
      windowSeconds: seconds(15 * 60),
      durationSeconds: seconds(15 * 60),
    })
    .prefault({}),
  externalUsersAllowed: z.boolean().default(true),
});

export type InstancePolicies = z.infer<typeof instancePolicySchema>;

/** The instance's effective policies; an unreadable stored value falls back to the defaults. */
export function instancePolicies(raw: Readonly<Record<string, unknown>>): InstancePolicies {
  const parsed = instancePolicySchema.safeParse(raw);
  return parsed.success ? parsed.data : instancePolicySchema.parse({});
}
