/** Injection token for the {@link CounterStore} of the chosen state store. */
export const COUNTER_STORE = Symbol('COUNTER_STORE');

/**
 * Short-lived counters and flags of one instance (sign-in failures, locks), shared by every
 * replica when the state lives in Redis. Keys sit in the instance's namespace, so deleting an
 * instance removes them with everything else. Keys: letters, digits and `. _ : % -`, which covers
 * user ids and IPv4/IPv6 addresses (`signin-fail:ip:2001:db8::1`).
 */
export interface CounterStore {
  /** Adds one to a counter whose window starts at its first hit; returns the count in the window. */
  hit(instance: string, key: string, windowSeconds: number): Promise<number>;
  /** Current count (0 when absent or expired). */
  count(instance: string, key: string): Promise<number>;
  reset(instance: string, key: string): Promise<void>;
  /** A flag that expires by itself (e.g. an account lock). */
  setFlag(instance: string, key: string, ttlSeconds: number): Promise<void>;
  /** Remaining seconds of a flag; 0 when not set. */
  flagTtl(instance: string, key: string): Promise<number>;
  clearFlag(instance: string, key: string): Promise<void>;
}

/**
 * A window or flag lifetime in milliseconds. Fractions are kept (tests use sub-second windows);
 * a lifetime that is not positive is a caller bug, never "forever".
 */
export function lifetimeMillis(what: string, seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new TypeError(`${what} must be a positive number of seconds, got ${String(seconds)}`);
  }
  return Math.max(1, Math.round(seconds * 1000));
}

/** Whole seconds left, rounded up: a flag with 200 ms left is still set and must not read as 0. */
export function remainingSeconds(millis: number): number {
  return millis > 0 ? Math.ceil(millis / 1000) : 0;
}
