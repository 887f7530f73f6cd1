import type Redis from 'ioredis';
import type { Adapter } from 'oidc-provider';
import { cachingAdapterFactory } from '../adapter-cache';
import { assertSafeName, redisNamespace } from '../keyspace';
import type { StateStore } from '../state-store';
import { RedisModelAdapter } from './redis-model-adapter';
import { registerStateScripts } from './redis-scripts';

const SCAN_BATCH = 500;

/**
 * State in Redis, shared by every replica. Keys are `<prefix>:{<instance>}:...`; the store does
 * not own the client (StateModule closes it).
 */
export class RedisStateStore implements StateStore {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {
    assertSafeName('key prefix', prefix);
    registerStateScripts(client);
  }

  adapterFor(instance: string): (model: string) => Adapter {
    const namespace = this.namespaceOf(instance);
    return cachingAdapterFactory((model) => new RedisModelAdapter(this.client, namespace, model));
  }

  async purgeInstance(instance: string): Promise<number> {
    let removed = 0;
    for await (const keys of this.scanInstance(instance)) {
      removed += await this.client.unlink(...keys);
    }
    return removed;
  }

  async countInstanceKeys(instance: string): Promise<number> {
    // SCAN may return a key twice while the keyspace is rehashed.
    const seen = new Set<string>();
    for await (const keys of this.scanInstance(instance)) {
      for (const key of keys) seen.add(key);
    }
    return seen.size;
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  /** Yields non-empty batches of the instance's keys; SCAN, never KEYS, so Redis is not blocked. */
  private async *scanInstance(instance: string): AsyncGenerator<string[]> {
    const match = `${this.namespaceOf(instance)}*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', match, 'COUNT', SCAN_BATCH);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }

  private namespaceOf(instance: string): string {
    assertSafeName('instance', instance);
    return redisNamespace(this.prefix, instance);
  }
}
