import { z } from 'zod';
import { SIGNING_ALGORITHMS } from '@erp-id/keys';

const seconds = (fallback: number) =>
  z
    .number()
    .int()
    .positive()
    .max(400 * 24 * 3600)
    .default(fallback);

/**
 * The part of an instance's policies the issuer build reads, with safe defaults. Unknown fields are
 * kept (other parts of the product read them); bad values fall back to the defaults at build time.
 */
export const issuerPolicySchema = z.object({
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
});

export type IssuerPolicies = z.infer<typeof issuerPolicySchema>;

export function issuerPolicies(raw: Readonly<Record<string, unknown>>): IssuerPolicies {
  const parsed = issuerPolicySchema.safeParse(raw);
  return parsed.success ? parsed.data : issuerPolicySchema.parse({});
}
