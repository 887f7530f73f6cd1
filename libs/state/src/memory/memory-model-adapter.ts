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
import type { InstanceTable, MemoryKeyspace } from './memory-keyspace';

/**
 * In-process twin of RedisModelAdapter: same keys, same index rules, same expiry. Payloads are
 * cloned in and out so neither oidc-provider nor a caller can change stored state by mutation.
 */
export class MemoryModelAdapter implements Adapter {
  private readonly grantable: boolean;
  private readonly uidIndexed: boolean;
  private readonly accountIndexed: boolean;
  private readonly clientIndexed: boolean;

  constructor(
    private readonly keyspace: MemoryKeyspace,
    private readonly instance: string,
    private readonly model: string,
  ) {
    this.grantable = GRANTABLE_MODELS.has(model);
    this.uidIndexed = model === UID_INDEXED_MODEL;
    this.accountIndexed = ACCOUNT_INDEXED_MODELS.has(model);
    this.clientIndexed = CLIENT_INDEXED_MODELS.has(model);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const ttl = ttlMillis(expiresIn);
    if (ttl !== undefined && ttl <= 0) {
      await this.destroy(id);
      return;
    }
    const now = Date.now();
    const expiresAt = ttl === undefined ? Infinity : now + ttl;
    const table = this.keyspace.forWrite(this.instance);
    const key = recordKey(this.model, id);
    table.set(key, { kind: 'record', payload: structuredClone(payload) }, expiresAt);
    if (this.uidIndexed && payload.uid) {
      table.set(uidIndexKey(this.model, payload.uid), { kind: 'index', id }, expiresAt);
    }
    if (payload.userCode) {
      table.set(userCodeIndexKey(this.model, payload.userCode), { kind: 'index', id }, expiresAt);
    }
    if (this.grantable && payload.grantId) {
      addSetMember(table, grantIndexKey(payload.grantId), key, expiresAt, now);
    }
    if (this.accountIndexed && payload.accountId) {
      addSetMember(table, accountIndexKey(payload.accountId), key, expiresAt, now);
    }
    if (this.clientIndexed && payload.clientId) {
      addSetMember(table, clientIndexKey(payload.clientId), key, expiresAt, now);
    }
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const payload = this.stored(id, Date.now());
    return payload === undefined ? undefined : structuredClone(payload);
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
    const payload = this.stored(id, Date.now());
    // The stored object is a private copy, so marking it in place is the whole update.
    if (payload !== undefined) payload.consumed = epochSeconds();
  }

  async destroy(id: string): Promise<void> {
    const table = this.keyspace.existing(this.instance);
    if (table === undefined) return;
    const now = Date.now();
    const key = recordKey(this.model, id);
    const payload = this.stored(id, now);
    table.delete(key);
    if (payload === undefined) return;
    if (this.uidIndexed && payload.uid) {
      deleteIndexIfPointsTo(table, uidIndexKey(this.model, payload.uid), id, now);
    }
    if (payload.userCode) {
      deleteIndexIfPointsTo(table, userCodeIndexKey(this.model, payload.userCode), id, now);
    }
    if (this.grantable && payload.grantId) {
      removeSetMember(table, grantIndexKey(payload.grantId), key, now);
    }
    if (this.accountIndexed && payload.accountId) {
      removeSetMember(table, accountIndexKey(payload.accountId), key, now);
    }
    if (this.clientIndexed && payload.clientId) {
      removeSetMember(table, clientIndexKey(payload.clientId), key, now);
    }
  }

  /** Same rule as Redis: secondary indexes of removed records expire on their own. */
  async revokeByGrantId(grantId: string): Promise<void> {
    const table = this.keyspace.existing(this.instance);
    if (table === undefined) return;
    const grantKey = grantIndexKey(grantId);
    const grant = table.get(grantKey, Date.now());
    if (grant?.kind !== 'set') return;
    for (const member of grant.members) table.delete(member);
    table.delete(grantKey);
  }

  private async findByIndex(indexKey: string): Promise<AdapterPayload | undefined> {
    const index = this.keyspace.existing(this.instance)?.get(indexKey, Date.now());
    return index?.kind === 'index' ? this.find(index.id) : undefined;
  }

  /** The stored (uncloned) payload; never hand it out. */
  private stored(id: string, now: number): AdapterPayload | undefined {
    const value = this.keyspace.existing(this.instance)?.get(recordKey(this.model, id), now);
    return value?.kind === 'record' ? value.payload : undefined;
  }
}

/** An index set (grant or account) lives as long as its longest-lived member (`Infinity` wins). */
function addSetMember(
  table: InstanceTable,
  setKey: string,
  member: string,
  expiresAt: number,
  now: number,
): void {
  const slot = table.slot(setKey, now);
  if (slot?.value.kind === 'set') {
    slot.value.members.add(member);
    table.set(setKey, slot.value, Math.max(slot.expiresAt, expiresAt));
  } else {
    table.set(setKey, { kind: 'set', members: new Set([member]) }, expiresAt);
  }
}

/** Like Redis, an emptied set disappears. */
export function removeSetMember(table: InstanceTable, setKey: string, member: string, now: number): void {
  const set = table.get(setKey, now);
  if (set?.kind !== 'set') return;
  set.members.delete(member);
  if (set.members.size === 0) table.delete(setKey);
}

// A Session keeps its uid when oidc-provider gives it a new id; the index may already point there.
function deleteIndexIfPointsTo(table: InstanceTable, indexKey: string, id: string, now: number): void {
  const index = table.get(indexKey, now);
  if (index?.kind === 'index' && index.id === id) table.delete(indexKey);
}
