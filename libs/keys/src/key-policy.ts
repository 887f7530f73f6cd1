import { instancePolicies } from '@erp-id/policies';
import { z } from 'zod';
import type { SigningAlgorithm } from './signing-algorithms';

const DAY_MS = 24 * 3600 * 1000;

/** The issuer accepts tokens up to 15 s past their expiry (oidc-provider's `clockTolerance`). */
export const CLOCK_TOLERANCE_SECONDS = 15;

export const DEFAULT_ROTATE_AFTER_DAYS = 90;
export const DEFAULT_PUBLISH_NEXT_DAYS_BEFORE = 7;

/** What key management needs to know from an instance's policy. */
export interface KeyPolicy {
  /** Algorithm of the keys made from now on (the active key keeps its own until rotation). */
  signingAlgorithm: SigningAlgorithm;
  /** Age of the active key at which the schedule replaces it. */
  rotateAfterMs: number;
  /** How long before that the next key is published (in the JWKS, not signing). */
  publishNextBeforeMs: number;
  /** How long a retired key stays published: the longest token lifetime plus the clock tolerance. */
  retainRetiredMs: number;
}

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The rotation section is read leniently: the policy schema may or may not define it yet (and has
 * called the lead time both `publishNextDaysBefore` and `nextKeyLeadDays`); an unreadable value is
 * its default rather than a reason to stop rotating keys.
 */
const rotationSection = z
  .object({
    rotateAfterDays: z.number().positive().catch(DEFAULT_ROTATE_AFTER_DAYS),
    publishNextDaysBefore: z.number().nonnegative().optional().catch(undefined),
    nextKeyLeadDays: z.number().nonnegative().optional().catch(undefined),
  })
  .catch({ rotateAfterDays: DEFAULT_ROTATE_AFTER_DAYS });

/** Longest lifetime of anything the instance issues: a retired key must outlive every token it signed. */
function longestTokenLifetimeSeconds(lifetimes: Readonly<Record<string, unknown>>): number {
  const values = Object.values(lifetimes).filter((v): v is number => typeof v === 'number' && v > 0);
  return values.length ? Math.max(...values) : 0;
}

export function keyPolicyOf(raw: unknown): KeyPolicy {
  const policies = instancePolicies(raw);
  const effective: Readonly<Record<string, unknown>> = policies;
  const rotation = rotationSection.parse(
    effective.keyRotation ?? (isObject(raw) ? raw.keyRotation : undefined),
  );
  const leadDays =
    rotation.publishNextDaysBefore ?? rotation.nextKeyLeadDays ?? DEFAULT_PUBLISH_NEXT_DAYS_BEFORE;
  return {
    signingAlgorithm: policies.signingAlgorithm,
    rotateAfterMs: rotation.rotateAfterDays * DAY_MS,
    publishNextBeforeMs: leadDays * DAY_MS,
    retainRetiredMs: (longestTokenLifetimeSeconds(policies.tokenLifetimes) + CLOCK_TOLERANCE_SECONDS) * 1000,
  };
}
