/**
 * oidc-provider passes lifetimes in seconds; both stores work in milliseconds so a fractional
 * lifetime is not rounded into a much longer or zero one.
 * `undefined` means the record never expires.
 */
export function ttlMillis(expiresIn: number | undefined): number | undefined {
  if (expiresIn === undefined) return undefined;
  if (!Number.isFinite(expiresIn)) {
    throw new TypeError(`expiresIn must be a finite number of seconds, got ${String(expiresIn)}`);
  }
  return Math.round(expiresIn * 1000);
}

/** oidc-provider's timestamps (`consumed`, `exp`, `iat`) are whole epoch seconds. */
export function epochSeconds(nowMs: number = Date.now()): number {
  return Math.floor(nowMs / 1000);
}
