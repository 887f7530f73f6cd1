import type { UserKind } from './principal';

const KINDS: readonly UserKind[] = ['internal', 'external', 'service'];

/**
 * The kind of account a token acts for. The issuer's introspection says so (`erp_user_kind`); a JWT
 * without the claim is told apart by its subject: client credentials tokens carry the client id as
 * `sub`, user tokens the user's id (the issuer gives API tokens only to internal users). `undefined`
 * for a kind this library does not know.
 */
export function userKindOf(claim: unknown, subject: string, clientId: string | null): UserKind | undefined {
  if (claim === undefined) return subject === clientId ? 'service' : 'internal';
  // A kind this library does not know is not trusted with an API.
  return typeof claim === 'string' && (KINDS as readonly string[]).includes(claim)
    ? (claim as UserKind)
    : undefined;
}
