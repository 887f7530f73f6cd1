/**
 * Key layout shared by both stores, relative to an instance's namespace:
 *   `<Model>:<id>`               the record
 *   `<Model>.uid:<uid>`          Session uid → id
 *   `<Model>.userCode:<code>`    DeviceCode user code → id
 *   `grant:<grantId>`            set of record keys issued under one grant
 * Model names never contain a dot, so index keys cannot collide with record keys.
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

/** The only model looked up by `uid`; Interaction payloads also carry a uid but are never found by it. */
export const UID_INDEXED_MODEL = 'Session';

// Braces would break the Redis Cluster hash tag and glob characters the SCAN pattern of a purge.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

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
