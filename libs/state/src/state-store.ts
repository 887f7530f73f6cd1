import type { Adapter } from 'oidc-provider';
import type { CounterStore } from './counter-store';

/** Injection token for the {@link StateStore} chosen by `StateModule`. */
export const STATE_STORE = Symbol('STATE_STORE');

/**
 * Short-lived oidc-provider state (sessions, codes, tokens, grants, ...) for every instance.
 * Redis in production, an in-process map in embedded mode; both honour the same adapter contract.
 */
export interface StateStore {
  /** Adapter factory for oidc-provider's `adapter` option, bound to one instance: every key carries the instance. */
  adapterFor(instance: string): (model: string) => Adapter;
  /**
   * Ends an account at one instance: removes every Session and Grant record saved for it and,
   * with each Grant, every token and code issued under it. Returns the number of Session and
   * Grant records removed.
   */
  revokeAccount(instance: string, accountId: string): Promise<number>;
  /**
   * Ends a client at one instance (it was deleted): removes every Grant issued to it and every
   * token and code issued under each. Returns the number of Grant records removed.
   */
  revokeClient(instance: string, clientId: string): Promise<number>;
  /** Counters and flags kept in the same per-instance namespace, so `purgeInstance` removes them too. */
  readonly counters: CounterStore;
  /** Deletes every short-lived artifact of one instance (used when an instance is deleted). Returns the number removed. */
  purgeInstance(instance: string): Promise<number>;
  /** Number of keys held for one instance (lets tests assert a purge). */
  countInstanceKeys(instance: string): Promise<number>;
  /** Throws when the backing store is unreachable (readiness). */
  ping(): Promise<void>;
}
