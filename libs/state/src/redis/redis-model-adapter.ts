import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { epochSeconds, ttlMillis } from '../expiry';
import {
  ACCOUNT_INDEXED_MODELS,
  CLIENT_INDEXED_MODELS,
  GRANTABLE_MODELS,
  UID_INDEXED_MODEL,
  accountIndexKey,
  clientIndexKey,
  grantIndexKey,
  recordKey,
  uidIndexKey,
  userCodeIndexKey,
} from '../keyspace';
import { queuedScriptsOf, scriptsOf } from './redis-scripts';
import { execTransaction } from './redis-transaction';

// A record is a hash so `consume` can set one field atomically without rewriting the payload.
const PAYLOAD = 'payload';
const CONSUMED = 'consumed';

/** oidc-provider adapter for one model of one instance; `namespace` is `<prefix>:{<instance>}:`. */
export class RedisModelAdapter implements Adapter {
  private readonly recordPrefix: string;
  private readonly grantable: boolean;
  private readonly uidIndexed: boolean;
  private readonly accountIndexed: boolean;
  private readonly clientIndexed: boolean;

  constructor(
    private readonly client: Redis,
    private readonly namespace: string,
    private readonly model: string,
  ) {
    this.recordPrefix = namespace + recordKey(model, '');
    this.grantable = GRANTABLE_MODELS.has(model);
    this.uidIndexed = model === UID_INDEXED_MODEL;
    this.accountIndexed = ACCOUNT_INDEXED_MODELS.has(model);
    this.clientIndexed = CLIENT_INDEXED_MODELS.has(model);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const ttl = ttlMillis(expiresIn);
    if (ttl !== undefined && ttl <= 0) {
      // Already expired: storing it would only let it be found until the next expiry cycle.
      await this.destroy(id);
      return;
    }
    const key = this.recordPrefix + id;
    // DEL first: an upsert replaces the record, including an earlier `consumed` mark and TTL.
    const multi = this.client.multi().del(key).hset(key, PAYLOAD, JSON.stringify(payload));
    if (ttl !== undefined) multi.pexpire(key, ttl);
    if (this.uidIndexed && payload.uid) {
      setIndex(multi, this.namespace + uidIndexKey(this.model, payload.uid), id, ttl);
    }
    if (payload.userCode) {
      setIndex(multi, this.namespace + userCodeIndexKey(this.model, payload.userCode), id, ttl);
    }
    if (this.grantable && payload.grantId) {
      queuedScriptsOf(multi).idgwIndexAdd(
        this.namespace + grantIndexKey(payload.grantId),
        recordKey(this.model, id),
        ttl ?? 0,
      );
    }
    if (this.accountIndexed && payload.accountId) {
      queuedScriptsOf(multi).idgwIndexAdd(
        this.namespace + accountIndexKey(payload.accountId),
        recordKey(this.model, id),
        ttl ?? 0,
      );
    }
    if (this.clientIndexed && payload.clientId) {
      queuedScriptsOf(multi).idgwIndexAdd(
        this.namespace + clientIndexKey(payload.clientId),
        recordKey(this.model, id),
        ttl ?? 0,
      );
    }
    await execTransaction(multi);
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.read(this.recordPrefix + id);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const payload = await this.findByIndex(uidIndexKey(this.model, uid));
    // The index may outlive a re-keyed record; only trust a record that still carries this uid.
    return payload?.uid === uid ? payload : undefined;
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const payload = await this.findByIndex(userCodeIndexKey(this.model, userCode));
    return payload?.userCode === userCode ? payload : undefined;
  }

  async consume(id: string): Promise<void> {
    await scriptsOf(this.client).idgwConsume(this.recordPrefix + id, epochSeconds());
  }

  async destroy(id: string): Promise<void> {
    const key = this.recordPrefix + id;
    const stored = await this.client.hget(key, PAYLOAD);
    if (stored === null) {
      await this.client.unlink(key);
      return;
    }
    const payload = JSON.parse(stored) as AdapterPayload;
    const multi = this.client.multi().unlink(key);
    const scripts = queuedScriptsOf(multi);
    if (this.uidIndexed && payload.uid) {
      scripts.idgwDelIfEquals(this.namespace + uidIndexKey(this.model, payload.uid), id);
    }
    if (payload.userCode) {
      scripts.idgwDelIfEquals(this.namespace + userCodeIndexKey(this.model, payload.userCode), id);
    }
    if (this.grantable && payload.grantId) {
      multi.srem(this.namespace + grantIndexKey(payload.grantId), recordKey(this.model, id));
    }
    if (this.accountIndexed && payload.accountId) {
      multi.srem(this.namespace + accountIndexKey(payload.accountId), recordKey(this.model, id));
    }
    if (this.clientIndexed && payload.clientId) {
      multi.srem(this.namespace + clientIndexKey(payload.clientId), recordKey(this.model, id));
    }
    await execTransaction(multi);
  }

  /**
   * Removes every record saved under the grant, whatever its model. Only the members read are
   * removed from the index, so a token joining the grant meanwhile keeps its entry; Redis drops
   * the set once it is empty. Secondary indexes of removed records expire with their TTL and
   * resolve to nothing meanwhile.
   */
  async revokeByGrantId(grantId: string): Promise<void> {
    const grantKey = this.namespace + grantIndexKey(grantId);
    const members = await this.client.smembers(grantKey);
    if (members.length === 0) return;
    const keys = members.map((member) => this.namespace + member);
    await execTransaction(
      this.client
        .multi()
        .unlink(...keys)
        .srem(grantKey, ...members),
    );
  }

  private async findByIndex(indexKey: string): Promise<AdapterPayload | undefined> {
    const id = await this.client.get(this.namespace + indexKey);
    return id === null ? undefined : this.find(id);
  }

  private async read(key: string): Promise<AdapterPayload | undefined> {
    const [stored, consumed] = await this.client.hmget(key, PAYLOAD, CONSUMED);
    if (stored === null) return undefined;
    const payload = JSON.parse(stored) as AdapterPayload;
    if (consumed !== null) payload.consumed = Number(consumed);
    return payload;
  }
}

function setIndex(multi: ChainableCommander, key: string, id: string, ttl: number | undefined): void {
  if (ttl === undefined) multi.set(key, id);
  else multi.set(key, id, 'PX', ttl);
}
