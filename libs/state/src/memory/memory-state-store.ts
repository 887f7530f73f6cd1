import type { Adapter } from 'oidc-provider';
import { type AccountRevocation, revokeAccountRecords, revokeClientRecords } from '../account-revocation';
import { cachingAdapterFactory } from '../adapter-cache';
import type { CounterStore } from '../counter-store';
import { accountIndexKey, assertSafeName, clientIndexKey } from '../keyspace';
import type { StateStore } from '../state-store';
import { MemoryCounterStore } from './memory-counter-store';
import { MemoryKeyspace } from './memory-keyspace';
import { MemoryModelAdapter, removeSetMember } from './memory-model-adapter';

export interface MemoryStateStoreOptions {
  /** How often expired entries are reclaimed (they are invisible from the moment they expire). Default 60 s. */
  sweepIntervalMs?: number;
}

/**
 * State held in this process, for embedded mode: a laptop or a demo, ONE process only, since
 * nothing is shared with other replicas and everything is lost on restart. Unlike
 * oidc-provider's built-in memory adapter it has no entry cap, so live sessions are never
 * evicted; memory grows with live state and shrinks as it expires.
 */
export class MemoryStateStore implements StateStore {
  private readonly keyspace = new MemoryKeyspace();
  private readonly sweeper: NodeJS.Timeout;
  readonly counters: CounterStore = new MemoryCounterStore(this.keyspace);

  constructor(options: MemoryStateStoreOptions = {}) {
    const interval = options.sweepIntervalMs ?? 60_000;
    // unref: the sweep alone must never keep the process alive.
    this.sweeper = setInterval(() => this.keyspace.sweep(Date.now()), interval).unref();
  }

  adapterFor(instance: string): (model: string) => Adapter {
    assertSafeName('instance', instance);
    return cachingAdapterFactory((model) => new MemoryModelAdapter(this.keyspace, instance, model));
  }

  revokeAccount(instance: string, accountId: string): Promise<number> {
    return this.revokeIndexed(instance, accountIndexKey(accountId), (members, adapterFor) =>
      revokeAccountRecords(members, accountId, adapterFor),
    );
  }

  revokeClient(instance: string, clientId: string): Promise<number> {
    return this.revokeIndexed(instance, clientIndexKey(clientId), (members, adapterFor) =>
      revokeClientRecords(members, clientId, adapterFor),
    );
  }

  private async revokeIndexed(
    instance: string,
    indexKey: string,
    revoke: (
      members: string[],
      adapterFor: (model: string) => MemoryModelAdapter,
    ) => Promise<AccountRevocation>,
  ): Promise<number> {
    assertSafeName('instance', instance);
    const index = this.keyspace.existing(instance)?.get(indexKey, Date.now());
    if (index?.kind !== 'set') return 0;
    const { removed, stale } = await revoke(
      [...index.members],
      (model) => new MemoryModelAdapter(this.keyspace, instance, model),
    );
    const table = this.keyspace.existing(instance);
    if (table !== undefined) {
      for (const member of stale) removeSetMember(table, indexKey, member, Date.now());
    }
    return removed;
  }

  async purgeInstance(instance: string): Promise<number> {
    assertSafeName('instance', instance);
    return this.keyspace.drop(instance, Date.now());
  }

  async countInstanceKeys(instance: string): Promise<number> {
    assertSafeName('instance', instance);
    return this.keyspace.count(instance, Date.now());
  }

  async ping(): Promise<void> {
    // Always reachable: it lives in this process.
  }

  /** Stops the periodic sweep. */
  close(): void {
    clearInterval(this.sweeper);
  }
}
