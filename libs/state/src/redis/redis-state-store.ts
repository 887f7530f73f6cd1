import type Redis from 'ioredis';
import type { Adapter } from 'oidc-provider';
import { type AccountRevocation, revokeAccountRecords, revokeClientRecords } from '../account-revocation';
import { cachingAdapterFactory } from '../adapter-cache';
import type { CounterStore } from '../counter-store';
import { accountIndexKey, assertSafeName, clientIndexKey, redisNamespace } from '../keyspace';
import type { StateStore } from '../state-store';
import { RedisCounterStore } from './redis-counter-store';
import { RedisModelAdapter } from './redis-model-adapter';
import { registerStateScripts } from './redis-scripts';

const SCAN_BATCH = 500;

/**
 * State in Redis, shared by every replica. Keys are `<prefix>:{<instance>}:...`; the store does
 * not own the client (StateModule closes it).
 */
export class RedisStateStore implements StateStore {
  readonly counters: CounterStore;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {
    assertSafeName('key prefix', prefix);
    registerStateScripts(client);
    this.counters = new RedisCounterStore(client, prefix);
  }

  adapterFor(instance: string): (model: string) => Adapter {
    const namespace = this.namespaceOf(instance);
    return cachingAdapterFactory((model) => new RedisModelAdapter(this.client, namespace, model));
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
    index: string,
    revoke: (
      members: string[],
      adapterFor: (model: string) => RedisModelAdapter,
    ) => Promise<AccountRevocation>,
  ): Promise<number> {
    const namespace = this.namespaceOf(instance);
    const indexKey = namespace + index;
    const members = await this.client.smembers(indexKey);
    if (members.length === 0) return 0;
    const { removed, stale } = await revoke(
      members,
      (model) => new RedisModelAdapter(this.client, namespace, model),
    );
    // Only the stale members: a record saved for the account meanwhile keeps its entry.
    if (stale.length > 0) await this.client.srem(indexKey, ...stale);
    return removed;
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
