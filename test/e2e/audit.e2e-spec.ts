import { adminTokenHashEntry, generateAdminToken } from '@erp-id/config';
import { directSql } from '../support/direct-sql';
import type { GatewayProcess } from '../support/gateway-process';
import { attemptSignIn } from '../support/sign-in-attempt';
import { createClient, createUser } from '../support/sign-in-fixture';
import { testBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';
import { waitForLog } from '../support/gateway-log';

interface AuditItem {
  id: string;
  occurredAt: string;
  actor: string;
  action: string;
  target: { type: string; id: string } | null;
  sourceAddress: string | null;
  details: Record<string, unknown>;
}

interface AuditPage {
  items: AuditItem[];
  next: string | null;
}

interface ErrorBody {
  error: string;
  message: string;
  details?: Array<{ field: string; message: string; rule?: string }>;
}

const OPS_TOKEN = generateAdminToken();
const CI_TOKEN = generateAdminToken();
const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a brand new passphrase 42';
const REDIRECT_URI = 'https://portal.example.com/cb';

describe(`audit log and admin tokens (${testBackends.postgresUrl ? 'Postgres' : 'PGlite'} + ${testBackends.redisUrl ? 'Redis' : 'in-process state'})`, () => {
  let gw: GatewayProcess;
  let databaseUrl: string | undefined;
  let dispose: (() => Promise<void>) | undefined;
  /** Every secret the suite hands to the gateway: none may appear in an audit event. */
  const secrets: string[] = [OPS_TOKEN, CI_TOKEN, PASSWORD, NEW_PASSWORD];

  const ops = <T>(method: string, path: string, body?: unknown) => gw.admin<T>(method, path, body, OPS_TOKEN);
  const ci = <T>(method: string, path: string, body?: unknown) => gw.admin<T>(method, path, body, CI_TOKEN);

  /** Every event of an instance, newest first, walked a page at a time. */
  const allEvents = async (instance: string, pageSize = 200, action?: string): Promise<AuditItem[]> => {
    const items: AuditItem[] = [];
    let before: string | null = null;
    for (let pages = 0; pages < 100; pages += 1) {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (before) query.set('before', before);
      if (action) query.set('action', action);
      const res = await ops<AuditPage>('GET', `/instances/${instance}/audit?${query.toString()}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(pageSize);
      items.push(...res.body.items);
      if (!res.body.next) return items;
      before = res.body.next;
    }
    throw new Error('paging did not end');
  };

  const eventFor = async (instance: string, action: string): Promise<AuditItem> => {
    const found = (await allEvents(instance)).find((e) => e.action === action);
    if (!found) throw new Error(`no ${action} in the audit of ${instance}`);
    return found;
  };

  beforeAll(async () => {
    const started = await startTestGateways({
      database: 'idgw_audit',
      env: {
        ADMIN_API_TOKEN_HASHES: [
          adminTokenHashEntry('ops', OPS_TOKEN),
          adminTokenHashEntry('ci', CI_TOKEN),
        ].join(','),
      },
    });
    ({ gw, dispose } = started);
    databaseUrl = started.options.databaseUrl;
  });

  afterAll(async () => {
    await dispose?.();
  });

  describe('admin tokens', () => {
    it('accepts each configured token and the plain development token', async () => {
      expect((await ops('GET', '/instances')).status).toBe(200);
      expect((await ci('GET', '/instances')).status).toBe(200);
      expect((await gw.admin('GET', '/instances')).status).toBe(200);
    });

    it('answers 401 for a wrong token, a configured hash used as a token, or none', async () => {
      const hash = adminTokenHashEntry('ops', OPS_TOKEN).split('sha256:')[1]!;
      for (const token of [generateAdminToken(), `${OPS_TOKEN}x`, hash, '']) {
        const res = await gw.admin<ErrorBody>('GET', '/instances', undefined, token);
        expect(res.status).toBe(401);
        expect(res.body.error).toBe('unauthorized');
      }
    });
  });

  describe('admin changes', () => {
    let userId: string;
    let clientSecret: string;

    beforeAll(async () => {
      expect((await ops('POST', '/instances', { name: 'audit-a', displayName: 'Audit A' })).status).toBe(201);
      expect((await ci('PATCH', '/instances/audit-a', { displayName: 'Audit A (renamed)' })).status).toBe(
        200,
      );
      const client = await ops<{ clientSecret: string }>('POST', '/instances/audit-a/clients', {
        clientId: 'nightly-sync',
        grantTypes: ['client_credentials'],
        scopes: ['update'],
      });
      expect(client.status).toBe(201);
      clientSecret = client.body.clientSecret;
      secrets.push(clientSecret);
      const user = await ops<{ id: string }>('POST', '/instances/audit-a/users', {
        username: 'alice',
        password: PASSWORD,
        kind: 'internal',
      });
      expect(user.status).toBe(201);
      userId = user.body.id;
      expect(
        (await ops('PATCH', `/instances/audit-a/users/${userId}`, { password: NEW_PASSWORD })).status,
      ).toBe(200);
      expect((await ops('POST', '/instances/audit-a/keys/rotate')).status).toBe(201);
      expect((await ci('PATCH', '/instances/audit-a/policies', { lockout: { maxAttempts: 7 } })).status).toBe(
        200,
      );
      expect((await ops('DELETE', `/instances/audit-a/users/${userId}`)).status).toBe(204);
      // Refused requests change nothing and are not recorded.
      expect((await ops('POST', '/instances/audit-a/users', { username: 'x' })).status).toBe(400);
      expect(
        (await ops('PATCH', '/instances/audit-a/policies', { lockout: { maxAttempts: 0 } })).status,
      ).toBe(422);
    });

    it('records each change with its action, actor and target, newest first', async () => {
      const events = await allEvents('audit-a');
      const summary = events.map((e) => [e.action, e.actor, e.target?.type ?? null]).reverse();
      expect(summary).toEqual([
        ['instance.created', 'ops', 'instance'],
        ['instance.updated', 'ci', 'instance'],
        ['client.created', 'ops', 'client'],
        ['user.created', 'ops', 'user'],
        ['user.updated', 'ops', 'user'],
        ['keys.rotated', 'ops', 'signing_key'],
        ['policies.updated', 'ci', 'instance'],
        ['user.deleted', 'ops', 'user'],
      ]);
      const times = events.map((e) => Date.parse(e.occurredAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    it('names the target precisely and the caller address', async () => {
      expect((await eventFor('audit-a', 'instance.created')).target).toEqual({
        type: 'instance',
        id: 'audit-a',
      });
      expect((await eventFor('audit-a', 'client.created')).target).toEqual({
        type: 'client',
        id: 'nightly-sync',
      });
      expect((await eventFor('audit-a', 'user.deleted')).target).toEqual({ type: 'user', id: userId });
      const keys = await ops<{ items: Array<{ kid: string; state: string }> }>(
        'GET',
        '/instances/audit-a/keys',
      );
      const active = keys.body.items.find((k) => k.state === 'active')!;
      expect((await eventFor('audit-a', 'keys.rotated')).target).toEqual({
        type: 'signing_key',
        id: active.kid,
      });
      const updated = await eventFor('audit-a', 'user.updated');
      expect(updated.sourceAddress).toBe('127.0.0.1');
      expect(updated.details).toEqual({ fields: ['password'] });
    });

    it('never holds a secret: no token, password or client secret anywhere in the log', async () => {
      const text = JSON.stringify(await allEvents('audit-a'));
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/\$argon2/);
    });

    it('filters by action prefix', async () => {
      const users = await allEvents('audit-a', 200, 'user.');
      expect(users.map((e) => e.action).sort()).toEqual(['user.created', 'user.deleted', 'user.updated']);
      expect(await allEvents('audit-a', 200, 'user.updated')).toHaveLength(1);
      expect(await allEvents('audit-a', 200, 'nothing.')).toEqual([]);
    });

    it('pages through every event once, whatever the page size', async () => {
      const all = await allEvents('audit-a');
      for (const size of [1, 2, 3]) {
        const paged = await allEvents('audit-a', size);
        expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
        expect(new Set(paged.map((e) => e.id)).size).toBe(paged.length);
      }
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=ten', 'limit'],
      ['before=not-a-cursor', 'before'],
      [`before=${Buffer.from('2026-01-01T00:00:00.000Z|42').toString('base64url')}`, 'before'],
      ['action=User%20*', 'action'],
      ['since=yesterday', ''],
    ])('answers 400 for %s', async (query, field) => {
      const res = await ops<ErrorBody>('GET', `/instances/audit-a/audit?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
      expect(res.body.details?.map((d) => d.field)).toContain(field);
    });

    it('answers 404 for an unknown instance', async () => {
      expect((await ops('GET', '/instances/no-such-instance/audit')).status).toBe(404);
    });
  });

  describe('password rules of the instance', () => {
    beforeAll(async () => {
      expect((await ops('POST', '/instances', { name: 'audit-pw' })).status).toBe(201);
    });

    it.each([
      ['shorter than the policy minimum (12)', 'bob', 'elevenchars', 'passwords.minLength'],
      ['the username', 'bob.example.org', 'BOB.example.org', 'passwords.requireDifferentFromUsername'],
    ])('refuses a password %s with 422 naming the field and rule', async (_, username, password, rule) => {
      const res = await ops<ErrorBody>('POST', '/instances/audit-pw/users', {
        username,
        password,
        kind: 'internal',
      });
      expect(res.status).toBe(422);
      expect(res.body.details).toEqual([{ field: 'password', message: expect.any(String), rule }]);
      expect(JSON.stringify(res.body)).not.toContain(password);
    });

    it('applies the rules to a new password, and follows a changed policy', async () => {
      const user = await ops<{ id: string }>('POST', '/instances/audit-pw/users', {
        username: 'carol',
        password: PASSWORD,
        kind: 'internal',
      });
      expect(user.status).toBe(201);
      const tooShort = await ops<ErrorBody>('PATCH', `/instances/audit-pw/users/${user.body.id}`, {
        password: 'short-pass',
      });
      expect(tooShort.status).toBe(422);
      expect(tooShort.body.details?.[0]?.field).toBe('password');

      expect(
        (await ops('PATCH', '/instances/audit-pw/policies', { passwords: { minLength: 8 } })).status,
      ).toBe(200);
      expect(
        (await ops('PATCH', `/instances/audit-pw/users/${user.body.id}`, { password: 'short-pass' })).status,
      ).toBe(200);
    });
  });

  describe('sign-in events', () => {
    const target = () => ({
      issuer: gw.issuer('audit-signin'),
      clientId: 'portal',
      redirectUri: REDIRECT_URI,
    });
    let daveId: string;

    beforeAll(async () => {
      const created = await ops('POST', '/instances', {
        name: 'audit-signin',
        policies: { lockout: { maxAttempts: 2 } },
      });
      expect(created.status).toBe(201);
      const portal = await createClient(gw, 'audit-signin', {
        clientId: 'portal',
        grantTypes: ['authorization_code'],
        redirectUris: [REDIRECT_URI],
        scopes: ['openid'],
      });
      secrets.push(portal.clientSecret!);
      daveId = (
        await createUser(gw, 'audit-signin', { username: 'dave', password: PASSWORD, kind: 'internal' })
      ).id;
    });

    it('records a success, a wrong password, an unknown user and a lockout, without any password', async () => {
      expect(await attemptSignIn(target(), 'dave', PASSWORD)).toBe(303);
      expect(await attemptSignIn(target(), 'nobody', 'guess-one-two-three')).toBe(401);
      expect(await attemptSignIn(target(), 'dave', 'guess-four-five-six')).toBe(401);
      // The second failure for dave reaches the policy's limit (2).
      expect(await attemptSignIn(target(), 'dave', 'guess-seven-eight')).toBe(429);
      expect(await attemptSignIn(target(), 'dave', PASSWORD)).toBe(429);

      const events = (await allEvents('audit-signin', 200, 'sign_in.')).reverse();
      expect(events.map((e) => [e.action, e.actor, e.target, e.details])).toEqual([
        ['sign_in.succeeded', 'dave', { type: 'user', id: daveId }, {}],
        ['sign_in.failed', 'nobody', null, { reason: 'unknown_user' }],
        ['sign_in.failed', 'dave', { type: 'user', id: daveId }, { reason: 'wrong_password' }],
        [
          'sign_in.locked_out',
          'dave',
          { type: 'user', id: daveId },
          { reason: 'wrong_password', retryAfterSeconds: 900 },
        ],
        [
          'sign_in.locked_out',
          'dave',
          { type: 'user', id: daveId },
          expect.objectContaining({ reason: 'account_locked' }),
        ],
      ]);
      for (const event of events) expect(event.sourceAddress).toBe('127.0.0.1');
      const text = JSON.stringify(events);
      for (const secret of [...secrets, 'guess-one-two-three', 'guess-four-five-six', 'guess-seven-eight']) {
        expect(text).not.toContain(secret);
      }
    });
  });

  describe('instance deletion and retention', () => {
    it('removes every audit row of a deleted instance and logs the deletion', async () => {
      expect((await ops('POST', '/instances', { name: 'audit-del' })).status).toBe(201);
      expect((await ops('PATCH', '/instances/audit-del', { displayName: 'Soon gone' })).status).toBe(200);
      expect((await allEvents('audit-del')).length).toBe(2);
      expect((await ops('DELETE', '/instances/audit-del')).status).toBe(204);
      expect((await ops('GET', '/instances/audit-del/audit')).status).toBe(404);
      await waitForLog(gw, 'audit instance.deleted audit-del by ops');

      const kept =
        (await allEvents('audit-a')).length +
        (await allEvents('audit-pw')).length +
        (await allEvents('audit-signin')).length;
      // The embedded database belongs to the gateway process: read it while the gateway is stopped.
      await gw.stop();
      try {
        const where = { databaseUrl, dataDir: gw.dataDir };
        expect(
          await directSql(
            where,
            "SELECT id FROM audit_events WHERE target_type = 'instance' AND target_id = 'audit-del'",
          ),
        ).toEqual([]);
        const [count] = await directSql(where, 'SELECT count(*)::int AS n FROM audit_events');
        expect(count).toEqual({ n: kept });

        // Age one instance's events past the retention period (90 days by default) for the next test.
        await directSql(
          where,
          `UPDATE audit_events SET occurred_at = occurred_at - interval '91 days'
             WHERE instance_id = (SELECT id FROM instances WHERE name = 'audit-pw')`,
        );
      } finally {
        await gw.spawn();
      }
    });

    it('prunes events older than the retention period soon after start, and only those', async () => {
      const before = (await allEvents('audit-a')).length;
      const deadline = Date.now() + 30_000;
      while ((await allEvents('audit-pw')).length > 0) {
        if (Date.now() > deadline) throw new Error('old audit events were not pruned');
        await new Promise((r) => setTimeout(r, 500));
      }
      expect((await allEvents('audit-a')).length).toBe(before);
      await waitForLog(gw, /pruned \d+ audit events older than 90 days/);
    });
  });
});
