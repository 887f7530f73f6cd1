import type { GatewayProcess } from '../support/gateway-process';
import { testBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';

interface UserBody {
  id: string;
  username: string;
  name: string | null;
  email: string | null;
  kind: 'internal' | 'external';
  status: 'active' | 'disabled';
  createdAt: string;
  updatedAt: string;
  locked?: boolean;
}

interface UserList {
  items: UserBody[];
  total: number;
  limit: number;
  offset: number;
}

interface ErrorBody {
  error: string;
  message: string;
  details?: Array<{ field: string; message: string }>;
}

const PASSWORD = 'correct horse battery staple';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe(`users admin API (${testBackends.postgresUrl ? 'Postgres' : 'PGlite'} + ${testBackends.redisUrl ? 'Redis' : 'in-process state'})`, () => {
  let gw: GatewayProcess;
  let dispose: (() => Promise<void>) | undefined;
  /** Every response body of the suite, to check that none ever carries a password hash. */
  const bodies: unknown[] = [];

  const admin = async <T>(method: string, path: string, body?: unknown, token?: string) => {
    const res = await gw.admin<T>(method, path, body, token);
    bodies.push(res.body);
    return res;
  };

  const createUser = async (instance: string, body: Record<string, unknown>): Promise<UserBody> => {
    const res = await admin<UserBody>('POST', `/instances/${instance}/users`, body);
    expect(res.status).toBe(201);
    return res.body;
  };

  const expectInvalid = (res: { status: number; body: unknown }, field: string): void => {
    expect(res.status).toBe(400);
    const body = res.body as ErrorBody;
    expect(body.error).toBe('invalid_request');
    expect(typeof body.message).toBe('string');
    expect(body.details?.map((d) => d.field)).toContain(field);
  };

  beforeAll(async () => {
    ({ gw, dispose } = await startTestGateways({ database: 'idgw_test' }));
    for (const name of ['users-a', 'users-b']) {
      expect((await gw.admin('POST', '/instances', { name })).status).toBe(201);
    }
  });

  afterAll(async () => {
    await dispose?.();
  });

  describe('POST /instances/:name/users', () => {
    it('creates a user and answers its view without the password', async () => {
      const before = Date.now();
      const user = await createUser('users-a', {
        username: '  Alice  ',
        password: PASSWORD,
        kind: 'internal',
        email: 'alice@example.com',
        name: 'Alice Example',
      });

      expect(user).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        username: 'Alice',
        name: 'Alice Example',
        email: 'alice@example.com',
        kind: 'internal',
        status: 'active',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(Date.parse(user.createdAt)).toBeGreaterThanOrEqual(before - 1_000);
    });

    it('creates a user with the required fields only', async () => {
      const user = await createUser('users-a', { username: 'erin', password: PASSWORD, kind: 'external' });
      expect(user).toMatchObject({ username: 'erin', kind: 'external', name: null, email: null });
    });

    it('refuses a username that differs only in case or width with 409', async () => {
      await createUser('users-a', { username: 'Bob', password: PASSWORD, kind: 'internal' });
      for (const username of ['bob', 'BOB', ' bOb ', 'Ｂｏｂ']) {
        const res = await admin<ErrorBody>('POST', '/instances/users-a/users', {
          username,
          password: PASSWORD,
          kind: 'external',
        });
        expect(res.status).toBe(409);
        expect(res.body.error).toBe('conflict');
      }
    });

    it('lets two instances have a user of the same name', async () => {
      await createUser('users-a', { username: 'carol', password: PASSWORD, kind: 'internal' });
      await createUser('users-b', { username: 'Carol', password: PASSWORD, kind: 'internal' });
    });

    it.each([
      ['username', { password: PASSWORD, kind: 'internal' }],
      ['username', { username: '   ', password: PASSWORD, kind: 'internal' }],
      ['username', { username: 'x'.repeat(201), password: PASSWORD, kind: 'internal' }],
      ['password', { username: 'dave', password: 'short', kind: 'internal' }],
      ['password', { username: 'dave', password: 'x'.repeat(257), kind: 'internal' }],
      ['password', { username: 'dave', kind: 'internal' }],
      ['kind', { username: 'dave', password: PASSWORD, kind: 'admin' }],
      ['kind', { username: 'dave', password: PASSWORD }],
      ['email', { username: 'dave', password: PASSWORD, kind: 'internal', email: 'not-an-address' }],
      ['name', { username: 'dave', password: PASSWORD, kind: 'internal', name: '' }],
      ['', { username: 'dave', password: PASSWORD, kind: 'internal', passwordHash: 'x' }],
      ['username', { username: 'tab\there', password: PASSWORD, kind: 'internal' }],
    ])('refuses an invalid %s with 400', async (field, body) => {
      expectInvalid(await admin('POST', '/instances/users-a/users', body), field);
    });

    it('refuses a body that is not a JSON object with 400', async () => {
      const res = await admin<ErrorBody>('POST', '/instances/users-a/users', '["alice"]');
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('answers 404 for an unknown instance', async () => {
      const res = await admin<ErrorBody>('POST', '/instances/no-such-instance/users', {
        username: 'frank',
        password: PASSWORD,
        kind: 'internal',
      });
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('not_found');
    });
  });

  describe('GET /instances/:name/users', () => {
    it('pages through the users, oldest first, with the total', async () => {
      const names = ['page-1', 'page-2', 'page-3'];
      for (const username of names) {
        await createUser('users-b', { username, password: PASSWORD, kind: 'external' });
      }
      const all = await admin<UserList>('GET', '/instances/users-b/users');
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ limit: 50, offset: 0, total: all.body.items.length });
      expect(all.body.items.map((u) => u.username)).toEqual(expect.arrayContaining(names));

      const first = await admin<UserList>('GET', '/instances/users-b/users?limit=2&offset=0');
      const second = await admin<UserList>('GET', '/instances/users-b/users?limit=2&offset=2');
      expect(first.body).toMatchObject({ limit: 2, offset: 0, total: all.body.total });
      expect(second.body).toMatchObject({ limit: 2, offset: 2, total: all.body.total });
      expect([...first.body.items, ...second.body.items].map((u) => u.id)).toEqual(
        all.body.items.slice(0, 4).map((u) => u.id),
      );
      const past = await admin<UserList>('GET', `/instances/users-b/users?offset=${all.body.total}`);
      expect(past.body.items).toEqual([]);
    });

    it('lists only the users of the instance', async () => {
      const a = await admin<UserList>('GET', '/instances/users-a/users?limit=200');
      const b = await admin<UserList>('GET', '/instances/users-b/users?limit=200');
      const idsOfA = new Set(a.body.items.map((u) => u.id));
      expect(b.body.items.some((u) => idsOfA.has(u.id))).toBe(false);
      expect(a.body.items.map((u) => u.username)).not.toContain('page-1');
    });

    it.each([
      ['limit', 'limit=0'],
      ['limit', 'limit=201'],
      ['limit', 'limit=abc'],
      ['limit', 'limit=1.5'],
      ['limit', 'limit=-1'],
      ['offset', 'offset=-1'],
      ['offset', 'offset=x'],
      ['', 'order=name'],
    ])('refuses an invalid %s (%s) with 400', async (field, query) => {
      expectInvalid(await admin('GET', `/instances/users-a/users?${query}`), field);
    });

    it('answers 404 for an unknown instance', async () => {
      expect((await admin('GET', '/instances/no-such-instance/users')).status).toBe(404);
    });
  });

  describe('GET /instances/:name/users/:id', () => {
    it('returns the user with its lock state', async () => {
      const created = await createUser('users-a', {
        username: 'grace',
        password: PASSWORD,
        kind: 'internal',
      });
      const res = await admin<UserBody>('GET', `/instances/users-a/users/${created.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...created, locked: false });
    });

    it('answers 404 for an unknown id, an id that is not a uuid and an id of another instance', async () => {
      const ofA = await createUser('users-a', { username: 'heidi', password: PASSWORD, kind: 'internal' });
      for (const path of [
        `/instances/users-a/users/${UNKNOWN_ID}`,
        '/instances/users-a/users/not-a-uuid',
        `/instances/users-b/users/${ofA.id}`,
        `/instances/no-such-instance/users/${ofA.id}`,
      ]) {
        const res = await admin<ErrorBody>('GET', path);
        expect({ path, status: res.status, error: res.body.error }).toEqual({
          path,
          status: 404,
          error: 'not_found',
        });
      }
    });
  });

  describe('PATCH /instances/:name/users/:id', () => {
    it('changes the fields given and leaves the others', async () => {
      const created = await createUser('users-a', {
        username: 'ivan',
        password: PASSWORD,
        kind: 'internal',
        email: 'ivan@example.com',
        name: 'Ivan',
      });

      const renamed = await admin<UserBody>('PATCH', `/instances/users-a/users/${created.id}`, {
        name: 'Ivan I.',
        kind: 'external',
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({
        id: created.id,
        username: 'ivan',
        name: 'Ivan I.',
        email: 'ivan@example.com',
        kind: 'external',
        status: 'active',
        locked: false,
      });
      expect(Date.parse(renamed.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));

      const cleared = await admin<UserBody>('PATCH', `/instances/users-a/users/${created.id}`, {
        email: null,
        name: null,
      });
      expect(cleared.body).toMatchObject({ email: null, name: null, kind: 'external' });
    });

    it('disables and enables a user, sets a new password and unlocks', async () => {
      const created = await createUser('users-a', { username: 'judy', password: PASSWORD, kind: 'internal' });
      const path = `/instances/users-a/users/${created.id}`;

      expect((await admin<UserBody>('PATCH', path, { status: 'disabled' })).body.status).toBe('disabled');
      expect((await admin<UserBody>('GET', path)).body.status).toBe('disabled');
      expect((await admin<UserBody>('PATCH', path, { status: 'active' })).body.status).toBe('active');

      const changed = await admin<UserBody>('PATCH', path, { password: 'another long password' });
      expect(changed.status).toBe(200);
      const unlocked = await admin<UserBody>('PATCH', path, { unlock: true });
      expect(unlocked.status).toBe(200);
      expect(unlocked.body.locked).toBe(false);
    });

    it.each([
      ['password', { password: 'short' }],
      ['kind', { kind: 'admin' }],
      ['status', { status: 'locked' }],
      ['email', { email: 'nope' }],
      ['name', { name: '   ' }],
      ['unlock', { unlock: false }],
      ['', { username: 'renamed' }],
      ['', {}],
    ])('refuses an invalid %s with 400', async (field, body) => {
      const created = await admin<UserList>('GET', '/instances/users-a/users?limit=1');
      const id = created.body.items[0]!.id;
      expectInvalid(await admin('PATCH', `/instances/users-a/users/${id}`, body), field);
    });

    it('answers 404 for an unknown user, a user of another instance and an unknown instance', async () => {
      const ofB = await createUser('users-b', { username: 'karl', password: PASSWORD, kind: 'internal' });
      for (const path of [
        `/instances/users-a/users/${UNKNOWN_ID}`,
        '/instances/users-a/users/not-a-uuid',
        `/instances/users-a/users/${ofB.id}`,
        `/instances/no-such-instance/users/${ofB.id}`,
      ]) {
        expect({ path, status: (await admin('PATCH', path, { name: 'x' })).status }).toEqual({
          path,
          status: 404,
        });
      }
      // The user of the other instance is unchanged.
      expect((await admin<UserBody>('GET', `/instances/users-b/users/${ofB.id}`)).body.name).toBeNull();
    });
  });

  describe('DELETE /instances/:name/users/:id', () => {
    it('removes the user; its name can be taken again', async () => {
      const created = await createUser('users-a', { username: 'Leo', password: PASSWORD, kind: 'internal' });
      const path = `/instances/users-a/users/${created.id}`;

      const res = await gw.admin('DELETE', path);
      expect(res.status).toBe(204);
      expect(res.body).toBeUndefined();
      expect((await admin('GET', path)).status).toBe(404);
      expect((await admin('DELETE', path)).status).toBe(404);
      await createUser('users-a', { username: 'leo', password: PASSWORD, kind: 'external' });
    });

    it('answers 404 for a user of another instance and leaves it in place', async () => {
      const ofB = await createUser('users-b', { username: 'mallory', password: PASSWORD, kind: 'internal' });
      expect((await admin('DELETE', `/instances/users-a/users/${ofB.id}`)).status).toBe(404);
      expect((await admin('DELETE', '/instances/users-a/users/not-a-uuid')).status).toBe(404);
      expect((await admin('DELETE', `/instances/no-such-instance/users/${ofB.id}`)).status).toBe(404);
      expect((await admin('GET', `/instances/users-b/users/${ofB.id}`)).status).toBe(200);
    });
  });

  it('requires the admin token on every route', async () => {
    const some = await admin<UserList>('GET', '/instances/users-a/users?limit=1');
    const id = some.body.items[0]!.id;
    const routes: Array<[string, string, unknown]> = [
      ['POST', '/instances/users-a/users', { username: 'nobody', password: PASSWORD, kind: 'internal' }],
      ['GET', '/instances/users-a/users', undefined],
      ['GET', `/instances/users-a/users/${id}`, undefined],
      ['PATCH', `/instances/users-a/users/${id}`, { status: 'disabled' }],
      ['DELETE', `/instances/users-a/users/${id}`, undefined],
    ];
    for (const [method, path, body] of routes) {
      for (const token of ['', 'not-the-token']) {
        const res = await admin<ErrorBody>(method, path, body, token);
        expect({ method, path, status: res.status, error: res.body.error }).toEqual({
          method,
          path,
          status: 401,
          error: 'unauthorized',
        });
      }
    }
    // Nothing was changed by the refused requests.
    expect((await admin<UserBody>('GET', `/instances/users-a/users/${id}`)).body.status).toBe('active');
  });

  it('never answers with a password or its hash', () => {
    expect(bodies.length).toBeGreaterThan(50);
    expect(keysOf(bodies).filter((key) => /password|hash/i.test(key))).toEqual([]);
    const everything = JSON.stringify(bodies);
    expect(everything).not.toContain('$argon2');
    expect(everything).not.toContain(PASSWORD);
  });
});

/** Every property name anywhere in a JSON value. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, nested]) => [key, ...keysOf(nested)]);
}
