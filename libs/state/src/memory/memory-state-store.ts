import type { Adapter } from 'oidc-provider';
import { cachingAdapterFactory } from '../adapter-cache';
import { assertSafeName } from '../keyspace';
import type { StateStore } from '../state-store';
import { MemoryKeyspace } from './memory-keyspace';
import { MemoryModelAdapter } from './memory-model-adapter';

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

  constructor(options: MemoryStateStoreOptions = {}) {
    const interval = options.sweepIntervalMs ?? 60_000;
    // unref: the sweep alone must never keep the process alive.
    this.sweeper = setInterval(() => this.keyspace.sweep(Date.now()), interval).unref();
  }

  adapterFor(instance: string): (model: string) => Adapter {
    assertSafeName('instance', instance);
    return cachingAdapterFactory((model) => new MemoryModelAdapter(this.keyspace, instance, model));
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
