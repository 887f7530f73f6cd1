/**
 * Key layout shared by both stores, relative to an instance's namespace:
 *   `<Model>:<id>`               the record
 *   `<Model>.uid:<uid>`          Session uid → id
 *   `<Model>.userCode:<code>`    DeviceCode user code → id
 *   `grant:<grantId>`            set of record keys issued under one grant
 *   `account:<accountId>`        set of Session and Grant record keys of one account
 *   `client:<clientId>`          set of Grant record keys of one client
 *   `counter:<key>`              a counter of the CounterStore
 *   `flag:<key>`                 a self-expiring flag of the CounterStore
 * Model names never contain a dot, so index keys cannot collide with record keys; they start
 * with a capital letter, so they cannot collide with the lower-case families either.
 */

/** Models whose records are bound to a grant and die with it (oidc-provider's grant-bound tokens). */
export const GRANTABLE_MODELS: ReadonlySet<string> = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

/** Models whose records carry the signed-in account and end with it (see `revokeAccount`). */
export const ACCOUNT_INDEXED_MODELS: ReadonlySet<string> = new Set(['Session', 'Grant']);

/** Models whose records carry the client and end with it (see `revokeClient`). */
export const CLIENT_INDEXED_MODELS: ReadonlySet<string> = new Set(['Grant']);

/** The only model looked up by `uid`; Interaction payloads also carry a uid but are never found by it. */
export const UID_INDEXED_MODEL = 'Session';

// Braces would break the Redis Cluster hash tag and glob characters the SCAN pattern of a purge.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

// Counter keys carry user ids and client addresses: IPv4, IPv6 (colons, a zone after `%`) and
// dotted or colon-separated labels. Still no braces, glob characters or whitespace.
const SAFE_COUNTER_KEY = /^[A-Za-z0-9][A-Za-z0-9_.:%-]{0,255}$/;

export function assertSafeCounterKey(key: string): void {
  if (!SAFE_COUNTER_KEY.test(key)) {
    throw new TypeError(
      `invalid counter key ${JSON.stringify(key)}: up to 256 letters, digits and . _ : % - only`,
    );
  }
}

export function assertSafeName(kind: 'instance' | 'key prefix', value: string): void {
  if (!SAFE_NAME.test(value)) {
    throw new TypeError(
      `invalid ${kind} ${JSON.stringify(value)}: letters, digits, dot, dash and underscore only`,
    );
  }
}

/** `<prefix>:{<instance>}:` — the hash tag keeps one instance's keys on one Cluster slot. */
export function redisNamespace(prefix: string, instance: string): string {
  return `${prefix}:{${instance}}:`;
}

export function recordKey(model: string, id: string): string {
  return `${model}:${id}`;
}

export function uidIndexKey(model: string, uid: string): string {
  return `${model}.uid:${uid}`;
}

export function userCodeIndexKey(model: string, userCode: string): string {
  return `${model}.userCode:${userCode}`;
}

export function grantIndexKey(grantId: string): string {
  return `grant:${grantId}`;
}

export function accountIndexKey(accountId: string): string {
  return `account:${accountId}`;
}

export function clientIndexKey(clientId: string): string {
  return `client:${clientId}`;
}

export function counterKey(key: string): string {
  return `counter:${key}`;
}

export function flagKey(key: string): string {
  return `flag:${key}`;
}

/** Splits a record key (`<Model>:<id>`, as index sets hold them); ids may contain colons. */
export function parseRecordKey(key: string): { model: string; id: string } | undefined {
  const colon = key.indexOf(':');
  if (colon <= 0 || colon === key.length - 1) return undefined;
  return { model: key.slice(0, colon), id: key.slice(colon + 1) };
}
