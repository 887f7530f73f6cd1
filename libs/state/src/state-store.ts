import type { Adapter } from 'oidc-provider';

/** Injection token for the {@link StateStore} chosen by `StateModule`. */
export const STATE_STORE = Symbol('STATE_STORE');

/**
 * Short-lived oidc-provider state (sessions, codes, tokens, grants, ...) for every instance.
 * Redis in production, an in-process map in embedded mode; both honour the same adapter contract.
 */
export interface StateStore {
  /** Adapter factory for oidc-provider's `adapter` option, bound to one instance: every key carries the instance. */
  adapterFor(instance: string): (model: string) => Adapter;
  /** Deletes every short-lived artifact of one instance (used when an instance is deleted). Returns the number removed. */
  purgeInstance(instance: string): Promise<number>;
  /** Number of keys held for one instance (lets tests assert a purge). */
  countInstanceKeys(instance: string): Promise<number>;
  /** Throws when the backing store is unreachable (readiness). */
  ping(): Promise<void>;
}
