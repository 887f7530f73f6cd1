import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type Redis from 'ioredis';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { MemoryStateStore, RedisStateStore, createRedisClient, type StateStore } from '@erp-id/state';
import { deleteKeysWithPrefix, scanKeys, uniqueRedisPrefix } from '../support/redis-test-prefix';

import { testBackends } from '../support/test-backends';

/** Redis runs when the run is configured for it (CI's first pass); the in-process store always runs. */
const REDIS_URL = testBackends.redisUrl ?? '';
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

/** One implementation plus the store-specific ways to look behind its interface. */
interface Subject {
  readonly store: StateStore;
  /** Asserts the record and its indexes carry no expiry at all. */
  expectNoExpiry(instance: string, check: () => Promise<void>, rawKeys: string[]): Promise<void>;
  /** Keys of an instance as Redis itself reports them (SCAN); null for the in-process store. */
  rawInstanceKeys(instance: string): Promise<string[] | null>;
  /** The store as another replica sees it (its own Redis connection); the same store in-process. */
  replica(): StateStore;
  close(): Promise<void>;
}

class RedisSubject implements Subject {
  readonly prefix = uniqueRedisPrefix();
  readonly client: Redis = createRedisClient(REDIS_URL, 'idgw-test');
  readonly store = new RedisStateStore(this.client, this.prefix);
  private replicaClient: Redis | undefined;

  async expectNoExpiry(instance: string, check: () => Promise<void>, rawKeys: string[]): Promise<void> {
    await check();
    for (const key of rawKeys) {
      // -1: the key exists and has no TTL (-2 would mean it does not exist).
      expect({ key, pttl: await this.client.pttl(`${this.prefix}:{${instance}}:${key}`) }).toEqual({
        key,
        pttl: -1,
      });
    }
  }

  rawInstanceKeys(instance: string): Promise<string[]> {
    return scanKeys(this.client, `${this.prefix}:{${instance}}:*`);
  }

  replica(): StateStore {
    this.replicaClient ??= createRedisClient(REDIS_URL, 'idgw-test-replica');
    return new RedisStateStore(this.replicaClient, this.prefix);
  }

  async close(): Promise<void> {
    await this.replicaClient?.quit();
    await deleteKeysWithPrefix(this.client, this.prefix);
    expect(await scanKeys(this.client, `${this.prefix}:*`)).toEqual([]);
    await this.client.quit();
  }
}

class MemorySubject implements Subject {
  readonly store = new MemoryStateStore({ sweepIntervalMs: 200 });

  async expectNoExpiry(_instance: string, check: () => Promise<void>): Promise<void> {
    const realNow = Date.now;
    const later = realNow() + TEN_YEARS_MS;
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => later);
    try {
      await check();
    } finally {
      spy.mockRestore();
    }
  }

  async rawInstanceKeys(): Promise<null> {
    return null;
  }

  replica(): StateStore {
    return this.store;
  }

  async close(): Promise<void> {
    this.store.close();
  }
}

function epochNow(): number {
  return Math.floor(Date.now() / 1000);
}

/** A token-shaped payload with nested and empty values that a lossy encoding would mangle. */
function tokenPayload(kind: string, id: string, extra: Partial<AdapterPayload> = {}): AdapterPayload {
  const iat = epochNow();
  return {
    jti: id,
    kind,
    iat,
    exp: iat + 3600,
    accountId: 'alice',
    clientId: 'erp-web',
    scope: 'openid profile',
    amr: [],
    claims: { id_token: { email: { essential: true } }, userinfo: {} },
    extra: { tenant: 'x', ratio: 0.5, flags: [true, false, null] },
    ...extra,
  };
}

const subjects: Array<[string, () => Subject]> = [['memory', (): Subject => new MemorySubject()]];
if (REDIS_URL) subjects.unshift(['redis', (): Subject => new RedisSubject()]);

describe.each(subjects)('StateStore (%s)', (_name, create) => {
  let subject: Subject;
  let store: StateStore;
  /** A fresh instance per test, so key counts only see that test's keys. */
  let instance: string;
  let adapter: (model: string) => Adapter;

  beforeAll(async () => {
    subject = create();
    store = subject.store;
    await store.ping();
  });

  afterAll(async () => {
    await subject.close();
  });

  beforeEach(() => {
    instance = `inst-${randomUUID().slice(0, 8)}`;
    adapter = store.adapterFor(instance);
  });

  it('round-trips a payload through upsert and find', async () => {
    const id = randomUUID();
    const payload = tokenPayload('AccessToken', id, { grantId: randomUUID() });
    await adapter('AccessToken').upsert(id, payload, 3600);

    expect(await adapter('AccessToken').find(id)).toEqual(payload);
  });

  it('hands out copies: mutating a found or saved payload does not change what is stored', async () => {
    const id = randomUUID();
    const payload = tokenPayload('Interaction', id);
    await adapter('Interaction').upsert(id, payload, 60);
    payload.accountId = 'mallory';
    const found = await adapter('Interaction').find(id);
    expect(found?.accountId).toBe('alice');
    if (found) found.accountId = 'eve';

    expect((await adapter('Interaction').find(id))?.accountId).toBe('alice');
  });

  it('returns undefined for unknown ids, uids and user codes', async () => {
    expect(await adapter('AccessToken').find('no-such-id')).toBeUndefined();
    expect(await adapter('Session').findByUid('no-such-uid')).toBeUndefined();
    expect(await adapter('DeviceCode').findByUserCode('NO-SUCH-CODE')).toBeUndefined();
    expect(await store.countInstanceKeys(instance)).toBe(0);
  });

  it('keeps models apart: the same id in two models is two records', async () => {
    const id = randomUUID();
    await adapter('AccessToken').upsert(id, tokenPayload('AccessToken', id), 60);
    await adapter('RefreshToken').upsert(id, tokenPayload('RefreshToken', id, { rotations: 1 }), 60);

    expect((await adapter('AccessToken').find(id))?.kind).toBe('AccessToken');
    expect((await adapter('RefreshToken').find(id))?.kind).toBe('RefreshToken');
  });

  it('expires a record and its indexes after expiresIn seconds', async () => {
    const sessionId = randomUUID();
    const uid = randomUUID();
    const deviceId = randomUUID();
    const grantId = randomUUID();
    await adapter('Session').upsert(sessionId, tokenPayload('Session', sessionId, { uid }), 1);
    await adapter('DeviceCode').upsert(
      deviceId,
      tokenPayload('DeviceCode', deviceId, { userCode: 'ABCD-EFGH', grantId }),
      1,
    );
    await adapter('AuthorizationCode').upsert(
      'code-1',
      tokenPayload('AuthorizationCode', 'code-1', { grantId }),
      1,
    );
    await adapter('AuthorizationCode').consume('code-1');

    expect(await adapter('Session').findByUid(uid)).toBeDefined();
    expect(await adapter('DeviceCode').findByUserCode('ABCD-EFGH')).toBeDefined();
    // record + uid index + account index, record + user code index, code, one grant index
    expect(await store.countInstanceKeys(instance)).toBe(7);

    await sleep(1_300);

    expect(await adapter('Session').find(sessionId)).toBeUndefined();
    expect(await adapter('Session').findByUid(uid)).toBeUndefined();
    expect(await adapter('DeviceCode').findByUserCode('ABCD-EFGH')).toBeUndefined();
    // consume must not have made the code outlive its TTL
    expect(await adapter('AuthorizationCode').find('code-1')).toBeUndefined();
    expect(await store.countInstanceKeys(instance)).toBe(0);
  });

  it('stores without expiry when expiresIn is undefined', async () => {
    const id = randomUUID();
    const uid = randomUUID();
    const grantId = randomUUID();
    await adapter('Session').upsert(id, tokenPayload('Session', id, { uid }));
    await adapter('AccessToken').upsert(id, tokenPayload('AccessToken', id, { grantId }));
    // A one-second neighbour proves time really passes for this store.
    await adapter('Interaction').upsert('short', tokenPayload('Interaction', 'short'), 1);

    await subject.expectNoExpiry(instance, async () => {
      expect(await adapter('Session').find(id)).toBeDefined();
      expect(await adapter('Session').findByUid(uid)).toBeDefined();
      expect(await adapter('AccessToken').find(id)).toBeDefined();
    }, [`Session:${id}`, `Session.uid:${uid}`, 'account:alice', `AccessToken:${id}`, `grant:${grantId}`]);
    await sleep(1_300);
    expect(await adapter('Interaction').find('short')).toBeUndefined();
    expect(await adapter('Session').find(id)).toBeDefined();
  });

  it('drops a record saved with a lifetime already over', async () => {
    const id = randomUUID();
    await adapter('AccessToken').upsert(id, tokenPayload('AccessToken', id), 60);
    await adapter('AccessToken').upsert(id, tokenPayload('AccessToken', id), 0);

    expect(await adapter('AccessToken').find(id)).toBeUndefined();
    expect(await store.countInstanceKeys(instance)).toBe(0);
  });

  it('consume marks the record consumed with epoch seconds, visible in later finds', async () => {
    const id = randomUUID();
    const payload = tokenPayload('AuthorizationCode', id, { grantId: randomUUID() });
    await adapter('AuthorizationCode').upsert(id, payload, 60);
    expect((await adapter('AuthorizationCode').find(id))?.consumed).toBeUndefined();

    const before = epochNow();
    await adapter('AuthorizationCode').consume(id);
    const after = epochNow();

    const found = await adapter('AuthorizationCode').find(id);
    expect(found).toEqual({ ...payload, consumed: expect.any(Number) });
    expect(found?.consumed).toBeGreaterThanOrEqual(before);
    expect(found?.consumed).toBeLessThanOrEqual(after);
    expect(Number.isInteger(found?.consumed)).toBe(true);
  });

  it('consume of an unknown id stores nothing', async () => {
    await adapter('AuthorizationCode').consume('never-saved');

    expect(await adapter('AuthorizationCode').find('never-saved')).toBeUndefined();
    expect(await store.countInstanceKeys(instance)).toBe(0);
  });

  it('upsert replaces the record, including an earlier consumed mark', async () => {
    const id = randomUUID();
    await adapter('RefreshToken').upsert(id, tokenPayload('RefreshToken', id), 60);
    await adapter('RefreshToken').consume(id);
    await adapter('RefreshToken').upsert(id, tokenPayload('RefreshToken', id, { rotations: 2 }), 60);

    const found = await adapter('RefreshToken').find(id);
    expect(found?.rotations).toBe(2);
    expect(found?.consumed).toBeUndefined();
  });

  it('destroy removes the record and its indexes', async () => {
    const sessionId = randomUUID();
    const uid = randomUUID();
    const tokenId = randomUUID();
    const deviceId = randomUUID();
    await adapter('Session').upsert(sessionId, tokenPayload('Session', sessionId, { uid }), 60);
    await adapter('AccessToken').upsert(
      tokenId,
      tokenPayload('AccessToken', tokenId, { grantId: 'g-1' }),
      60,
    );
    await adapter('DeviceCode').upsert(
      deviceId,
      tokenPayload('DeviceCode', deviceId, { userCode: 'WXYZ' }),
      60,
    );
    // each record with its index (uid, grant, user code), and the session's account index
    expect(await store.countInstanceKeys(instance)).toBe(7);

    await adapter('Session').destroy(sessionId);
    await adapter('AccessToken').destroy(tokenId);
    await adapter('DeviceCode').destroy(deviceId);
    await adapter('Interaction').destroy('never-saved');

    expect(await adapter('Session').find(sessionId)).toBeUndefined();
    expect(await adapter('Session').findByUid(uid)).toBeUndefined();
    expect(await adapter('AccessToken').find(tokenId)).toBeUndefined();
    expect(await adapter('DeviceCode').findByUserCode('WXYZ')).toBeUndefined();
    expect(await store.countInstanceKeys(instance)).toBe(0);
  });

  it('findByUid finds a Session by its uid, also after the session got a new id', async () => {
    const uid = randomUUID();
    const oldId = randomUUID();
    const newId = randomUUID();
    await adapter('Session').upsert(oldId, tokenPayload('Session', oldId, { uid }), 60);
    expect((await adapter('Session').findByUid(uid))?.jti).toBe(oldId);

    // oidc-provider's Session.resetIdentifier + save: the new id is saved, the old one destroyed.
    await adapter('Session').upsert(newId, tokenPayload('Session', newId, { uid }), 60);
    await adapter('Session').destroy(oldId);

    expect((await adapter('Session').findByUid(uid))?.jti).toBe(newId);
  });

  it('findByUserCode finds a DeviceCode by its user code', async () => {
    const id = randomUUID();
    const payload = tokenPayload('DeviceCode', id, { userCode: 'QWER-TYUI', grantId: randomUUID() });
    await adapter('DeviceCode').upsert(id, payload, 60);

    expect(await adapter('DeviceCode').findByUserCode('QWER-TYUI')).toEqual(payload);
    expect(await adapter('DeviceCode').findByUserCode('QWER-TYUX')).toBeUndefined();
  });

  it('revokeByGrantId destroys every artifact of the grant across models and nothing else', async () => {
    const grantId = randomUUID();
    const otherGrant = randomUUID();
    const members: Array<[string, string]> = [
      ['AccessToken', randomUUID()],
      ['AuthorizationCode', randomUUID()],
      ['RefreshToken', randomUUID()],
      ['DeviceCode', randomUUID()],
      ['BackchannelAuthenticationRequest', randomUUID()],
    ];
    for (const [model, id] of members) {
      await adapter(model).upsert(id, tokenPayload(model, id, { grantId }), 600);
    }
    const survivorId = randomUUID();
    const sessionId = randomUUID();
    await adapter('AccessToken').upsert(
      survivorId,
      tokenPayload('AccessToken', survivorId, { grantId: otherGrant }),
      600,
    );
    await adapter('Session').upsert(sessionId, tokenPayload('Session', sessionId, { uid: 'u-1' }), 600);
    // The Grant record itself is keyed by the grant id but is destroyed by oidc-provider, not by revocation.
    await adapter('Grant').upsert(grantId, tokenPayload('Grant', grantId), 600);

    await adapter('RefreshToken').revokeByGrantId(grantId);

    for (const [model, id] of members) {
      expect({ model, found: await adapter(model).find(id) }).toEqual({ model, found: undefined });
    }
    expect(await adapter('AccessToken').find(survivorId)).toBeDefined();
    expect(await adapter('Session').find(sessionId)).toBeDefined();
    expect(await adapter('Grant').find(grantId)).toBeDefined();
    // survivor + its grant index, session + uid index, Grant record, the account index of session
    // and Grant, the client index of the Grant; the revoked grant's index is gone
    expect(await store.countInstanceKeys(instance)).toBe(7);
  });

  it('keeps the grant index as long as its longest-lived member', async () => {
    const grantId = randomUUID();
    const refreshId = randomUUID();
    const accessId = randomUUID();
    // The short-lived token is saved last: it must not shorten the index.
    await adapter('RefreshToken').upsert(refreshId, tokenPayload('RefreshToken', refreshId, { grantId }), 60);
    await adapter('AccessToken').upsert(accessId, tokenPayload('AccessToken', accessId, { grantId }), 1);
    await sleep(1_300);

    await adapter('AccessToken').revokeByGrantId(grantId);

    expect(await adapter('RefreshToken').find(refreshId)).toBeUndefined();
    expect(await store.countInstanceKeys(instance)).toBe(0);
  });

  it('isolates instances: same ids, uids, user codes and grants stay apart', async () => {
    const other = `inst-${randomUUID().slice(0, 8)}`;
    const otherAdapter = store.adapterFor(other);
    const id = randomUUID();
    const grantId = randomUUID();
    await adapter('Session').upsert(
      id,
      tokenPayload('Session', id, { uid: 'same-uid', accountId: 'in-a' }),
      60,
    );
    await adapter('AccessToken').upsert(
      id,
      tokenPayload('AccessToken', id, { grantId, accountId: 'in-a' }),
      60,
    );
    await adapter('DeviceCode').upsert(
      id,
      tokenPayload('DeviceCode', id, { userCode: 'SAME', accountId: 'in-a' }),
      60,
    );

    expect(await otherAdapter('Session').find(id)).toBeUndefined();
    expect(await otherAdapter('Session').findByUid('same-uid')).toBeUndefined();
    expect(await otherAdapter('DeviceCode').findByUserCode('SAME')).toBeUndefined();

    await otherAdapter('Session').upsert(
      id,
      tokenPayload('Session', id, { uid: 'same-uid', accountId: 'in-b' }),
      60,
    );
    await otherAdapter('AccessToken').upsert(
      id,
      tokenPayload('AccessToken', id, { grantId, accountId: 'in-b' }),
      60,
    );
    expect((await adapter('Session').findByUid('same-uid'))?.accountId).toBe('in-a');
    expect((await otherAdapter('Session').findByUid('same-uid'))?.accountId).toBe('in-b');

    await otherAdapter('AccessToken').revokeByGrantId(grantId);
    await otherAdapter('Session').destroy(id);
    expect(await otherAdapter('AccessToken').find(id)).toBeUndefined();
    expect((await adapter('AccessToken').find(id))?.accountId).toBe('in-a');
    expect((await adapter('Session').find(id))?.accountId).toBe('in-a');
    expect(await store.countInstanceKeys(other)).toBe(0);
  });

  it('purgeInstance removes every key of one instance and none of another', async () => {
    const other = `inst-${randomUUID().slice(0, 8)}`;
    const otherAdapter = store.adapterFor(other);
    for (const a of [adapter, otherAdapter]) {
      for (let i = 0; i < 30; i += 1) {
        const id = `tok-${i}`;
        await a('AccessToken').upsert(id, tokenPayload('AccessToken', id, { grantId: `g-${i % 3}` }), 600);
      }
      await a('Session').upsert('s-1', tokenPayload('Session', 's-1', { uid: 'u-1' }), 600);
      await a('DeviceCode').upsert('d-1', tokenPayload('DeviceCode', 'd-1', { userCode: 'C-1' }));
    }
    // 30 tokens + 3 grant indexes + session + uid index + account index + device code + user code index
    expect(await store.countInstanceKeys(instance)).toBe(38);
    expect(await store.countInstanceKeys(other)).toBe(38);
    const rawBefore = await subject.rawInstanceKeys(instance);
    if (rawBefore !== null) {
      expect(rawBefore).toHaveLength(38);
      expect(rawBefore).toContain(`${(subject as RedisSubject).prefix}:{${instance}}:AccessToken:tok-0`);
    }

    expect(await store.purgeInstance(instance)).toBe(38);

    expect(await store.countInstanceKeys(instance)).toBe(0);
    expect(await store.countInstanceKeys(other)).toBe(38);
    expect(await subject.rawInstanceKeys(instance)).toEqual(rawBefore === null ? null : []);
    const rawOther = await subject.rawInstanceKeys(other);
    if (rawOther !== null) expect(rawOther).toHaveLength(38);
    expect(await adapter('Session').findByUid('u-1')).toBeUndefined();
    expect(await otherAdapter('Session').findByUid('u-1')).toBeDefined();
    expect(await store.purgeInstance(instance)).toBe(0);

    // The instance's adapters keep working after a purge.
    await adapter('AccessToken').upsert('tok-0', tokenPayload('AccessToken', 'tok-0'), 60);
    expect(await adapter('AccessToken').find('tok-0')).toBeDefined();
  });

  it('refuses instance names that would escape their namespace', () => {
    for (const name of ['a}b', '{a}', 'a*', 'a:b', '']) {
      expect(() => store.adapterFor(name)).toThrow(TypeError);
    }
  });

  it('caches one adapter per model', () => {
    expect(adapter('AccessToken')).toBe(adapter('AccessToken'));
    expect(adapter('AccessToken')).not.toBe(adapter('RefreshToken'));
  });

  describe('revokeAccount', () => {
    /** Saves a session (with its uid) for an account. */
    const saveSession = (a: (model: string) => Adapter, id: string, accountId: string, ttl = 600) =>
      a('Session').upsert(id, tokenPayload('Session', id, { uid: `uid-${id}`, accountId }), ttl);

    /** Saves a grant for an account with one record per model issued under it. */
    const saveGrant = async (
      a: (model: string) => Adapter,
      grantId: string,
      accountId: string,
      models: readonly string[],
      ttl = 600,
    ): Promise<string[]> => {
      await a('Grant').upsert(grantId, tokenPayload('Grant', grantId, { accountId }), ttl);
      const ids: string[] = [];
      for (const model of models) {
        const id = randomUUID();
        await a(model).upsert(id, tokenPayload(model, id, { grantId, accountId }), ttl);
        ids.push(id);
      }
      return ids;
    };

    it("ends every session and grant of the account with the grants' tokens and codes", async () => {
      const issued = ['AccessToken', 'RefreshToken', 'AuthorizationCode'] as const;
      await saveSession(adapter, 's-1', 'alice');
      await saveSession(adapter, 's-2', 'alice');
      const g1Tokens = await saveGrant(adapter, 'g-1', 'alice', issued);
      const g2Tokens = await saveGrant(adapter, 'g-2', 'alice', ['AccessToken']);

      expect(await store.revokeAccount(instance, 'alice')).toBe(4);

      for (const id of ['s-1', 's-2']) {
        expect(await adapter('Session').find(id)).toBeUndefined();
        expect(await adapter('Session').findByUid(`uid-${id}`)).toBeUndefined();
      }
      for (const id of ['g-1', 'g-2']) expect(await adapter('Grant').find(id)).toBeUndefined();
      for (const [i, model] of issued.entries()) {
        expect({ model, found: await adapter(model).find(g1Tokens[i]!) }).toEqual({
          model,
          found: undefined,
        });
      }
      expect(await adapter('AccessToken').find(g2Tokens[0]!)).toBeUndefined();
      // Records, uid and grant indexes and the account index are all gone.
      expect(await store.countInstanceKeys(instance)).toBe(0);
      expect(await store.revokeAccount(instance, 'alice')).toBe(0);
    });

    it('leaves other accounts and the same account at another instance untouched', async () => {
      const other = `inst-${randomUUID().slice(0, 8)}`;
      const otherAdapter = store.adapterFor(other);
      await saveSession(adapter, 's-a', 'alice');
      await saveGrant(adapter, 'g-a', 'alice', ['AccessToken']);
      await saveSession(adapter, 's-b', 'bob');
      const [bobToken] = await saveGrant(adapter, 'g-b', 'bob', ['RefreshToken']);
      // The same ids and account name at another instance.
      await saveSession(otherAdapter, 's-a', 'alice');
      const [otherToken] = await saveGrant(otherAdapter, 'g-a', 'alice', ['AccessToken']);
      const otherKeys = await store.countInstanceKeys(other);

      expect(await store.revokeAccount(instance, 'alice')).toBe(2);

      expect(await adapter('Session').find('s-a')).toBeUndefined();
      expect(await adapter('Grant').find('g-a')).toBeUndefined();
      expect((await adapter('Session').findByUid('uid-s-b'))?.accountId).toBe('bob');
      expect((await adapter('Grant').find('g-b'))?.accountId).toBe('bob');
      expect(await adapter('RefreshToken').find(bobToken!)).toBeDefined();
      // bob: session + uid index + account index, Grant record + client index, token + grant index
      expect(await store.countInstanceKeys(instance)).toBe(7);

      expect((await otherAdapter('Session').findByUid('uid-s-a'))?.accountId).toBe('alice');
      expect(await otherAdapter('Grant').find('g-a')).toBeDefined();
      expect(await otherAdapter('AccessToken').find(otherToken!)).toBeDefined();
      expect(await store.countInstanceKeys(other)).toBe(otherKeys);
      await store.purgeInstance(other);
    });

    it('spares a record re-saved without the account and drops its stale index entry', async () => {
      await saveSession(adapter, 's-1', 'alice');
      // oidc-provider keeps a session's id when the account signs out of it.
      await adapter('Session').upsert(
        's-1',
        tokenPayload('Session', 's-1', { uid: 'uid-s-1', accountId: undefined }),
        600,
      );

      expect(await store.revokeAccount(instance, 'alice')).toBe(0);

      expect(await adapter('Session').find('s-1')).toBeDefined();
      // session + uid index; the account index lost its only, stale, member
      expect(await store.countInstanceKeys(instance)).toBe(2);
    });

    it('keeps the account index as long as its longest-lived member', async () => {
      const [token] = await saveGrant(adapter, 'g-long', 'alice', ['RefreshToken'], 60);
      // The short-lived session is saved last: it must not shorten the index.
      await saveSession(adapter, 's-short', 'alice', 1);
      await sleep(1_300);

      expect(await store.revokeAccount(instance, 'alice')).toBe(1);

      expect(await adapter('Grant').find('g-long')).toBeUndefined();
      expect(await adapter('RefreshToken').find(token!)).toBeUndefined();
      expect(await store.countInstanceKeys(instance)).toBe(0);
    });

    it('removes a destroyed record from the account index', async () => {
      await saveSession(adapter, 's-1', 'alice');
      await saveGrant(adapter, 'g-1', 'alice', []);
      await adapter('Session').destroy('s-1');
      await adapter('Grant').destroy('g-1');

      expect(await store.countInstanceKeys(instance)).toBe(0);
      expect(await store.revokeAccount(instance, 'alice')).toBe(0);
    });

    it('refuses an instance name that would escape its namespace', async () => {
      await expect(store.revokeAccount('a*', 'alice')).rejects.toThrow(TypeError);
    });
  });

  describe('revokeClient', () => {
    /** Saves a grant of a client with one record per model issued under it. */
    const saveGrant = async (
      a: (model: string) => Adapter,
      grantId: string,
      clientId: string,
      models: readonly string[],
    ): Promise<string[]> => {
      await a('Grant').upsert(grantId, tokenPayload('Grant', grantId, { clientId }), 600);
      const ids: string[] = [];
      for (const model of models) {
        const id = randomUUID();
        await a(model).upsert(id, tokenPayload(model, id, { grantId, clientId }), 600);
        ids.push(id);
      }
      return ids;
    };

    it('ends every grant of the client with its tokens and codes, and nothing of other clients or instances', async () => {
      const other = `inst-${randomUUID().slice(0, 8)}`;
      const otherAdapter = store.adapterFor(other);
      const [refresh, code] = await saveGrant(adapter, 'g-1', 'web', ['RefreshToken', 'AuthorizationCode']);
      const [access] = await saveGrant(adapter, 'g-2', 'web', ['AccessToken']);
      const [kept] = await saveGrant(adapter, 'g-3', 'mobile', ['RefreshToken']);
      const [otherRefresh] = await saveGrant(otherAdapter, 'g-1', 'web', ['RefreshToken']);

      expect(await store.revokeClient(instance, 'web')).toBe(2);

      expect(await adapter('Grant').find('g-1')).toBeUndefined();
      expect(await adapter('Grant').find('g-2')).toBeUndefined();
      expect(await adapter('RefreshToken').find(refresh!)).toBeUndefined();
      expect(await adapter('AuthorizationCode').find(code!)).toBeUndefined();
      expect(await adapter('AccessToken').find(access!)).toBeUndefined();
      expect((await adapter('RefreshToken').find(kept!))?.clientId).toBe('mobile');
      expect((await otherAdapter('RefreshToken').find(otherRefresh!))?.clientId).toBe('web');
      expect(await store.revokeClient(instance, 'web')).toBe(0);
      // mobile: Grant record + account index + client index, token + grant index
      expect(await store.countInstanceKeys(instance)).toBe(5);
      await store.purgeInstance(other);
    });

    it('spares a grant re-saved for another client and drops the stale index entry', async () => {
      await saveGrant(adapter, 'g-1', 'web', []);
      await adapter('Grant').upsert('g-1', tokenPayload('Grant', 'g-1', { clientId: 'other' }), 600);

      expect(await store.revokeClient(instance, 'web')).toBe(0);
      expect((await adapter('Grant').find('g-1'))?.clientId).toBe('other');
    });

    it('refuses an instance name that would escape its namespace', async () => {
      await expect(store.revokeClient('a*', 'web')).rejects.toThrow(TypeError);
    });
  });

  describe('counters', () => {
    const ipKey = 'signin-fail:ip:2001:db8::1';

    it('counts hits in a window that starts at the first hit and is not extended by later hits', async () => {
      const { counters } = store;
      expect(await counters.count(instance, ipKey)).toBe(0);
      expect(await counters.hit(instance, ipKey, 1)).toBe(1);
      await sleep(600);
      expect(await counters.hit(instance, ipKey, 1)).toBe(2);
      expect(await counters.hit(instance, ipKey, 1)).toBe(3);
      expect(await counters.count(instance, ipKey)).toBe(3);

      // One second after the FIRST hit the window is over, although the last hit is recent.
      await sleep(600);
      expect(await counters.count(instance, ipKey)).toBe(0);
      expect(await counters.hit(instance, ipKey, 1)).toBe(1);
    });

    it('counts every hit once when replicas hit the same counter concurrently', async () => {
      const replica = subject.replica();
      const key = `signin-fail:user:${randomUUID()}`;
      const counts = await Promise.all(
        Array.from({ length: 40 }, (_v, i) =>
          (i % 2 === 0 ? store : replica).counters.hit(instance, key, 60),
        ),
      );

      expect([...counts].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_v, i) => i + 1));
      expect(await replica.counters.count(instance, key)).toBe(40);
    });

    it('reset starts the count again', async () => {
      const { counters } = store;
      await counters.hit(instance, ipKey, 60);
      await counters.hit(instance, ipKey, 60);
      await counters.reset(instance, ipKey);

      expect(await counters.count(instance, ipKey)).toBe(0);
      expect(await counters.hit(instance, ipKey, 60)).toBe(1);
      await counters.reset(instance, 'never-hit');
    });

    it('keeps a flag for its lifetime, reports the seconds left and clears it', async () => {
      const { counters } = store;
      const lock = `signin-lock:user:${randomUUID()}`;
      expect(await counters.flagTtl(instance, lock)).toBe(0);

      await counters.setFlag(instance, lock, 900);
      const left = await counters.flagTtl(instance, lock);
      expect(left).toBeGreaterThanOrEqual(899);
      expect(left).toBeLessThanOrEqual(900);
      await counters.clearFlag(instance, lock);
      expect(await counters.flagTtl(instance, lock)).toBe(0);

      // A flag with less than a second left still reads as set.
      await counters.setFlag(instance, lock, 0.8);
      expect(await counters.flagTtl(instance, lock)).toBe(1);
      await sleep(1_000);
      expect(await counters.flagTtl(instance, lock)).toBe(0);
      expect(await store.countInstanceKeys(instance)).toBe(0);
    });

    it('keeps counters and flags of the same key, and of two instances, apart', async () => {
      const other = `inst-${randomUUID().slice(0, 8)}`;
      const { counters } = store;
      await counters.hit(instance, ipKey, 60);
      await counters.hit(instance, ipKey, 60);
      await counters.hit(other, ipKey, 60);
      await counters.setFlag(other, ipKey, 60);

      expect(await counters.count(instance, ipKey)).toBe(2);
      expect(await counters.count(other, ipKey)).toBe(1);
      expect(await counters.flagTtl(instance, ipKey)).toBe(0);
      expect(await counters.flagTtl(other, ipKey)).toBeGreaterThan(0);

      await counters.reset(other, ipKey);
      await counters.clearFlag(other, ipKey);
      expect(await counters.count(instance, ipKey)).toBe(2);
      expect(await store.countInstanceKeys(other)).toBe(0);
    });

    it('purgeInstance removes the counters and flags of the instance', async () => {
      const other = `inst-${randomUUID().slice(0, 8)}`;
      const { counters } = store;
      for (const name of [instance, other]) {
        await counters.hit(name, ipKey, 60);
        await counters.setFlag(name, ipKey, 60);
      }
      expect(await store.countInstanceKeys(instance)).toBe(2);

      expect(await store.purgeInstance(instance)).toBe(2);

      expect(await counters.count(instance, ipKey)).toBe(0);
      expect(await counters.flagTtl(instance, ipKey)).toBe(0);
      expect(await counters.count(other, ipKey)).toBe(1);
      expect(await counters.flagTtl(other, ipKey)).toBeGreaterThan(0);
      await store.purgeInstance(other);
    });

    it('accepts user ids and IPv4/IPv6 addresses in keys and refuses unsafe keys and lifetimes', async () => {
      const { counters } = store;
      for (const key of [
        `signin-fail:user:${randomUUID()}`,
        'signin-fail:ip:203.0.113.7',
        'signin-fail:ip:::ffff:192.0.2.1',
        'signin-fail:ip:fe80::1%eth0',
      ]) {
        expect(await counters.hit(instance, key, 60)).toBe(1);
      }
      for (const key of ['', ':leading', 'a b', 'a*', 'a?', '{x}', 'a[0]', 'x'.repeat(300), 'é']) {
        await expect(counters.hit(instance, key, 60)).rejects.toThrow(TypeError);
        await expect(counters.setFlag(instance, key, 60)).rejects.toThrow(TypeError);
      }
      for (const name of ['a}b', 'a*', 'a:b', '']) {
        await expect(counters.count(name, ipKey)).rejects.toThrow(TypeError);
      }
      for (const lifetime of [0, -1, Number.NaN, Infinity]) {
        await expect(counters.hit(instance, ipKey, lifetime)).rejects.toThrow(TypeError);
        await expect(counters.setFlag(instance, ipKey, lifetime)).rejects.toThrow(TypeError);
      }
    });
  });

  it('ping resolves while the store is reachable', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

describe('RedisStateStore with Redis unreachable', () => {
  it('ping fails fast instead of hanging', async () => {
    // Port 1 refuses connections: the command must fail after the client's bounded retries.
    const client = createRedisClient('redis://127.0.0.1:1', 'idgw-test-down');
    const store = new RedisStateStore(client, uniqueRedisPrefix());
    const started = Date.now();
    try {
      await expect(store.ping()).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      client.disconnect();
      // ioredis arms a 2 s stream-destroy timer on disconnect that nothing clears once the last
      // connection attempt has already closed; let it run out so jest sees no open handle.
      await sleep(2_100);
    }
  });
});
