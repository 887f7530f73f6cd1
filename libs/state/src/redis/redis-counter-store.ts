import type Redis from 'ioredis';
import { type CounterStore, lifetimeMillis, remainingSeconds } from '../counter-store';
import { assertSafeCounterKey, assertSafeName, counterKey, flagKey, redisNamespace } from '../keyspace';
import { registerStateScripts, scriptsOf } from './redis-scripts';

/**
 * Counters and flags in Redis, so every replica sees the same count: a hit is one script (INCR
 * and the window's expiry together), never a read-then-write that two replicas could interleave.
 */
export class RedisCounterStore implements CounterStore {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {
    assertSafeName('key prefix', prefix);
    registerStateScripts(client);
  }

  async hit(instance: string, key: string, windowSeconds: number): Promise<number> {
    const windowMs = lifetimeMillis('windowSeconds', windowSeconds);
    return scriptsOf(this.client).idgwCounterHit(this.keyOf(instance, counterKey, key), windowMs);
  }

  async count(instance: string, key: string): Promise<number> {
    const stored = await this.client.get(this.keyOf(instance, counterKey, key));
    return stored === null ? 0 : Number(stored);
  }

  async reset(instance: string, key: string): Promise<void> {
    await this.client.unlink(this.keyOf(instance, counterKey, key));
  }

  async setFlag(instance: string, key: string, ttlSeconds: number): Promise<void> {
    const ttlMs = lifetimeMillis('ttlSeconds', ttlSeconds);
    await this.client.set(this.keyOf(instance, flagKey, key), '1', 'PX', ttlMs);
  }

  async flagTtl(instance: string, key: string): Promise<number> {
    // -2 (absent) reads as 0; -1 (no expiry) cannot happen since every flag is set with PX.
    return remainingSeconds(await this.client.pttl(this.keyOf(instance, flagKey, key)));
  }

  async clearFlag(instance: string, key: string): Promise<void> {
    await this.client.unlink(this.keyOf(instance, flagKey, key));
  }

  private keyOf(instance: string, family: (key: string) => string, key: string): string {
    assertSafeName('instance', instance);
    assertSafeCounterKey(key);
    return redisNamespace(this.prefix, instance) + family(key);
  }
}
