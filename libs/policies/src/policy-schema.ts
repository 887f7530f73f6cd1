import { SIGNING_ALGORITHMS } from '@erp-id/keys';
import { z } from 'zod';
import { isCidr } from './cidr';
import { MFA_REQUIREMENTS, POLICY_GRANT_TYPES, POLICY_RESPONSE_TYPES } from './policy-choices';

/** Longest lifetime any policy may set: beyond about a year a token is a password. */
const MAX_SECONDS = 400 * 24 * 3600;

const seconds = (fallback: number) => z.number().int().positive().max(MAX_SECONDS).default(fallback);

/** Requests allowed in a rate-limit window; 0 means no limit. */
const requestLimit = (fallback: number) => z.number().int().min(0).max(10_000_000).default(fallback);

const distinct = <T>(values: readonly T[]): boolean => new Set(values).size === values.length;

/** A set of choices, written as a list; `fallback` is every choice. */
const subsetOf = <const T extends readonly [string, ...string[]]>(choices: T) =>
  z
    .array(z.enum(choices))
    .max(choices.length)
    .refine(distinct, 'must not list a value twice')
    .default(() => [...choices]);

/**
 * Writes use strict objects (an unknown field is a mistake worth naming); reads strip unknown fields,
 * so a field written by a newer release does not reset a whole section on an older replica.
 */
type ObjectMode = 'strict' | 'strip';

function policySections(mode: ObjectMode) {
  const object = <S extends z.core.$ZodLooseShape>(shape: S) =>
    mode === 'strict' ? z.strictObject(shape) : z.object(shape);

  return {
    passwords: object({
      // OWASP ASVS 2.1.1: at least 12 characters; no composition rules (2.1.9), length is what counts.
      minLength: z.number().int().min(8).max(128).default(12),
      requireDifferentFromUsername: z.boolean().default(true),
    }).prefault({}),
    lockout: object({
      maxAttempts: z.number().int().min(1).max(100).default(5),
      windowSeconds: seconds(15 * 60),
      durationSeconds: seconds(15 * 60),
    }).prefault({}),
    session: object({
      absoluteLifetime: seconds(14 * 24 * 3600),
      idleLifetime: seconds(24 * 3600),
    })
      .refine((s) => s.idleLifetime <= s.absoluteLifetime, {
        message: 'must not exceed session.absoluteLifetime',
        path: ['idleLifetime'],
      })
      .prefault({}),
    tokenLifetimes: object({
      accessToken: seconds(3600),
      clientCredentials: seconds(3600),
      idToken: seconds(3600),
      authorizationCode: z.number().int().positive().max(600).default(60),
      refreshToken: seconds(30 * 24 * 3600),
    }).prefault({}),
    allowedGrantTypes: subsetOf(POLICY_GRANT_TYPES),
    allowedResponseTypes: subsetOf(POLICY_RESPONSE_TYPES),
    signingAlgorithm: z.enum(SIGNING_ALGORITHMS).default('RS256'),
    keyRotation: object({
      /** Age at which the active signing key is replaced by the next one. */
      rotateAfterDays: z.number().int().min(1).max(3650).default(90),
      /**
       * How long the next key sits in the JWKS before it signs, so relying parties that cache the
       * JWKS (commonly for a day) know it before they meet a token signed with it.
       */
      nextKeyLeadDays: z.number().int().min(1).max(30).default(2),
    })
      .refine((k) => k.nextKeyLeadDays < k.rotateAfterDays, {
        message: 'must be less than keyRotation.rotateAfterDays',
        path: ['nextKeyLeadDays'],
      })
      .prefault({}),
    mfa: object({
      required: z.enum(MFA_REQUIREMENTS).default('none'),
    }).prefault({}),
    /** Client addresses interactive sign-in is allowed from; empty means any address. */
    allowedSignInIpRanges: z
      .array(
        z
          .string()
          .max(64)
          .refine(isCidr, 'must be an IPv4 or IPv6 range in CIDR notation, like 203.0.113.0/24'),
      )
      .max(100)
      .default(() => []),
    externalUsersAllowed: z.boolean().default(true),
    /**
     * Requests per client address (and per client) in each window, shared by every replica; 0 turns
     * a limit off. The defaults sit far above what people and well-behaved apps send (a whole office
     * behind one address signing in at nine), so only floods and runaway scripts meet them.
     */
    rateLimits: object({
      windowSeconds: z.number().int().min(1).max(3600).default(60),
      signInPerAddress: requestLimit(300),
      authorizePerAddress: requestLimit(1200),
      tokenPerAddress: requestLimit(12_000),
      tokenPerClient: requestLimit(12_000),
      /** Introspection and revocation: resource servers introspect on behalf of all their callers. */
      introspectionPerAddress: requestLimit(60_000),
      /**
       * Failed client authentications from one address within the lockout window before the address
       * is refused for the lockout duration, like failed passwords (see `lockout`).
       */
      clientAuthFailuresPerAddress: z.number().int().min(1).max(1000).default(20),
    }).prefault({}),
  };
}

/** The policy document as the admin API accepts it: every field optional, unknown fields refused. */
export const instancePolicySchema = z.strictObject(policySections('strict'));

/** The same document as stored values are read: unknown fields ignored. */
export const storedPolicySchema = z.object(policySections('strip'));

/** An instance's effective policies: every field present, defaults filled in. */
export type InstancePolicies = z.infer<typeof instancePolicySchema>;
