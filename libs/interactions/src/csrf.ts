import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A form token bound to one interaction and the instance's cookie key. The interaction cookie is
 * already SameSite and path-scoped; this keeps forms safe in browsers that ignore SameSite.
 */
export function csrfToken(key: string, interactionUid: string): string {
  return createHmac('sha256', key).update(`csrf:${interactionUid}`).digest('base64url');
}

export function csrfValid(key: string, interactionUid: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(csrfToken(key, interactionUid));
  const actual = Buffer.from(presented);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
