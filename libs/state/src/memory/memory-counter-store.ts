import { type CounterStore, lifetimeMillis, remainingSeconds } from '../counter-store';
import { assertSafeCounterKey, assertSafeName, counterKey, flagKey } from '../keyspace';
import type { MemoryKeyspace } from './memory-keyspace';

/**
 * In-process twin of RedisCounterStore. It shares the state store's keyspace, so purging an
 * instance drops its counters too; every method runs to completion without awaiting, which makes
 * a hit as atomic here as the Redis script is there. Every method names (and so validates) the key
 * before it looks at the keyspace, so a bad key is refused even for an instance holding nothing.
 */
export class MemoryCounterStore implements CounterStore {
  constructor(private readonly keyspace: MemoryKeyspace) {}

  async hit(instance: string, key: string, windowSeconds: number): Promise<number> {
    const windowMs = lifetimeMillis('windowSeconds', windowSeconds);
    const name = counterKeyOf(instance, key);
    const table = this.keyspace.forWrite(instance);
    const now = Date.now();
    const slot = table.slot(name, now);
    if (slot?.value.kind === 'counter') {
      const count = slot.value.count + 1;
      table.set(name, { kind: 'counter', count }, slot.expiresAt);
      return count;
    }
    table.set(name, { kind: 'counter', count: 1 }, now + windowMs);
    return 1;
  }

  async count(instance: string, key: string): Promise<number> {
    const name = counterKeyOf(instance, key);
    const value = this.keyspace.existing(instance)?.get(name, Date.now());
    return value?.kind === 'counter' ? value.count : 0;
  }

  async reset(instance: string, key: string): Promise<void> {
    const name = counterKeyOf(instance, key);
    this.keyspace.existing(instance)?.delete(name);
  }

  async setFlag(instance: string, key: string, ttlSeconds: number): Promise<void> {
    const ttlMs = lifetimeMillis('ttlSeconds', ttlSeconds);
    const name = flagKeyOf(instance, key);
    this.keyspace.forWrite(instance).set(name, { kind: 'flag' }, Date.now() + ttlMs);
  }

  async flagTtl(instance: string, key: string): Promise<number> {
    const name = flagKeyOf(instance, key);
    const now = Date.now();
    const slot = this.keyspace.existing(instance)?.slot(name, now);
    return slot?.value.kind === 'flag' ? remainingSeconds(slot.expiresAt - now) : 0;
  }

  async clearFlag(instance: string, key: string): Promise<void> {
    const name = flagKeyOf(instance, key);
    this.keyspace.existing(instance)?.delete(name);
  }
}

function counterKeyOf(instance: string, key: string): string {
  assertSafeName('instance', instance);
  assertSafeCounterKey(key);
  return counterKey(key);
}

function flagKeyOf(instance: string, key: string): string {
  assertSafeName('instance', instance);
  assertSafeCounterKey(key);
  return flagKey(key);
}
