import type { GatewayProcess } from '../support/gateway-process';
import { testBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';
import { clientCredentials, introspect, jwtPayload, within } from '../support/token-requests';

interface AccountBody {
  id: string;
  name: string;
  description: string | null;
  scopes: string[];
  status: 'active' | 'disabled';
  clientId: string;
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  clientSecret?: string;
}

interface AccountList {
  items: AccountBody[];
  total: number;
  limit: number;
  offset: number;
}

interface ErrorBody {
  error: string;
  message: string;
  details?: Array<{ field: string; message: string }>;
}

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe(`service accounts admin API (${testBackends.postgresUrl ? 'Postgres' : 'PGlite'} + ${testBackends.redisUrl ? 'Redis' : 'in-process state'})`, () => {
  let gw: GatewayProcess;
  let dispose: (() => Promise<void>) | undefined;
  const bodies: unknown[] = [];

  const admin = async <T>(method: string, path: string, body?: unknown, token?: string) => {
    const res = await gw.admin<T>(method, path, body, token);
    bodies.push(res.body);
    return res;
  };

  const create = async (instance: string, body: Record<string, unknown>): Promise<AccountBody> => {
    const res = await admin<AccountBody>('POST', `/instances/${instance}/service-accounts`, body);
    expect(res.status).toBe(201);
    return res.body;
  };

  const token = (instance: string, account: Pick<AccountBody, 'clientId'>, secret: string, form = {}) =>
    clientCredentials(gw.issuer(instance), account.clientId, secret, form);

  const expectError = (res: { status: number; body: unknown }, status: number, field?: string): ErrorBody => {
    expect(res.status).toBe(status);
    const body = res.body as ErrorBody;
    expect(typeof body.error).toBe('string');
    expect(typeof body.message).toBe('string');
    if (field !== undefined) expect(body.details?.map((d) => d.field)).toContain(field);
    return body;
  };

  beforeAll(async () => {
    ({ gw, dispose } = await startTestGateways({ database: 'idgw_service_accounts' }));
    for (const name of ['sa-a', 'sa-b']) {
      expect((await gw.admin('POST', '/instances', { name })).status).toBe(201);
    }
  });

  afterAll(async () => {
    await dispose?.();
  });

  afterAll(() => {
    const text = JSON.stringify(bodies);
    expect(text).not.toContain('$argon2');
  });

  describe('authentication', () => {
    it.each([
      ['POST', '/instances/sa-a/service-accounts'],
      ['GET', '/instances/sa-a/service-accounts'],
      ['GET', `/instances/sa-a/service-accounts/${UNKNOWN_ID}`],
      ['PATCH', `/instances/sa-a/service-accounts/${UNKNOWN_ID}`],
      ['DELETE', `/instances/sa-a/service-accounts/${UNKNOWN_ID}`],
      ['POST', `/instances/sa-a/service-accounts/${UNKNOWN_ID}/secret`],
    ])('answers 401 to %s %s without a token or with a wrong one', async (method, path) => {
      const body = method === 'GET' || method === 'DELETE' ? undefined : { status: 'disabled' };
      expectError(await admin(method, path, body, ''), 401);
      expectError(await admin(method, path, body, 'not-the-admin-token-0123456789'), 401);
    });
  });

  describe('POST /instances/:name/service-accounts', () => {
    it('creates an account with its client; the secret is shown once and gets tokens with its scopes for the API', async () => {
      const before = Date.now();
      const account = await create('sa-a', {
        name: 'nightly-export',
        description: 'exports orders every night',
        scopes: ['read'],
      });
      expect(account).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'nightly-export',
        description: 'exports orders every night',
        scopes: ['read'],
        status: 'active',
        clientId: `sa-${account.id}`,
        previousSecretExpiresAt: null,
        clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(Date.parse(account.createdAt)).toBeGreaterThanOrEqual(before - 1_000);

      const res = await token('sa-a', account, account.clientSecret!, { scope: 'read' });
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('refresh_token');
      const claims = jwtPayload(res.body.access_token as string);
      expect(claims).toMatchObject({
        aud: `${gw.origin('sa-a')}/api/domain`,
        client_id: account.clientId,
        scope: 'read',
      });
      const table = await token('sa-a', account, account.clientSecret!, {
        scope: 'read',
        resource: `${gw.origin('sa-a')}/api/table`,
      });
      expect(table.status).toBe(200);
      expect(jwtPayload(table.body.access_token as string)).toMatchObject({
        aud: `${gw.origin('sa-a')}/api/table`,
        scope: 'read',
      });
      // A scope it was not given is refused, not silently dropped.
      const wider = await token('sa-a', account, account.clientSecret!, { scope: 'update' });
      expect(wider.status).toBe(400);
      expect(wider.body.error).toBe('invalid_scope');

      const shown = await admin<AccountBody>('GET', `/instances/sa-a/service-accounts/${account.id}`);
      expect(shown.status).toBe(200);
      const view: Partial<AccountBody> = { ...account };
      delete view.clientSecret;
      expect(shown.body).toEqual(view);
    });

    it('refuses bad input with 400 naming the field', async () => {
      const path = '/instances/sa-a/service-accounts';
      expectError(await admin('POST', path, { name: 'Upper', scopes: ['read'] }), 400, 'name');
      expectError(await admin('POST', path, { name: '', scopes: ['read'] }), 400, 'name');
      expectError(await admin('POST', path, { name: 'x'.repeat(101), scopes: ['read'] }), 400, 'name');
      expectError(await admin('POST', path, { name: 'no-scopes', scopes: [] }), 400, 'scopes');
      expectError(await admin('POST', path, { name: 'bad-scope', scopes: ['openid'] }), 400, 'scopes.0');
      expectError(await admin('POST', path, { name: 'missing-scopes' }), 400, 'scopes');
      expectError(
        await admin('POST', path, { name: 'long', scopes: ['read'], description: 'd'.repeat(1001) }),
        400,
        'description',
      );
      expectError(await admin('POST', path, { name: 'extra', scopes: ['read'], redirectUris: [] }), 400);
      expectError(await admin('POST', path, '"just a string"'), 400);
    });

    it('refuses a duplicate name in the same instance (409), not in another one', async () => {
      await create('sa-a', { name: 'twice', scopes: ['read'] });
      expectError(
        await admin('POST', '/instances/sa-a/service-accounts', { name: 'twice', scopes: ['update'] }),
        409,
      );
      await create('sa-b', { name: 'twice', scopes: ['read'] });
    });

    it('answers 404 for an unknown instance', async () => {
      expectError(
        await admin('POST', '/instances/nowhere/service-accounts', { name: 'x', scopes: ['read'] }),
        404,
      );
    });

    it('answers 422 when the instance policy does not allow the client credentials grant', async () => {
      expect(
        (
          await admin('POST', '/instances', {
            name: 'sa-no-cc',
            policies: { allowedGrantTypes: ['authorization_code'] },
          })
        ).status,
      ).toBe(201);
      const res = expectError(
        await admin('POST', '/instances/sa-no-cc/service-accounts', { name: 'svc', scopes: ['read'] }),
        422,
        'policies.allowedGrantTypes',
      );
      expect(res.error).toBe('policy_violation');
      expect((await admin<AccountList>('GET', '/instances/sa-no-cc/service-accounts')).body.total).toBe(0);
    });
  });

  describe('GET /instances/:name/service-accounts', () => {
    it('lists the accounts of one instance, paginated, without secrets', async () => {
      const list = await admin<AccountList>('GET', '/instances/sa-b/service-accounts?limit=10');
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ total: 1, limit: 10, offset: 0 });
      expect(list.body.items.map((a) => a.name)).toEqual(['twice']);
      expect(list.body.items[0]).not.toHaveProperty('clientSecret');
      const page = await admin<AccountList>('GET', '/instances/sa-a/service-accounts?limit=1&offset=1');
      expect(page.body.items).toHaveLength(1);
      expect(page.body.total).toBeGreaterThanOrEqual(2);
      expectError(await admin('GET', '/instances/sa-a/service-accounts?limit=0'), 400, 'limit');
      expectError(await admin('GET', '/instances/sa-a/service-accounts?sort=name'), 400);
      expectError(await admin('GET', '/instances/nowhere/service-accounts'), 404);
    });

    it('answers 404 for an unknown id, a malformed one and an account of another instance', async () => {
      const other = (await admin<AccountList>('GET', '/instances/sa-b/service-accounts')).body.items[0]!;
      expectError(await admin('GET', `/instances/sa-a/service-accounts/${UNKNOWN_ID}`), 404);
      expectError(await admin('GET', '/instances/sa-a/service-accounts/not-a-uuid'), 404);
      expectError(await admin('GET', `/instances/sa-a/service-accounts/${other.id}`), 404);
      expectError(await admin('GET', `/instances/nowhere/service-accounts/${other.id}`), 404);
    });
  });

  describe('PATCH /instances/:name/service-accounts/:id', () => {
    it('disabling refuses new tokens at once; enabling again brings them back', async () => {
      const account = await create('sa-a', { name: 'switchable', scopes: ['read', 'update'] });
      const secret = account.clientSecret!;
      // An API checking tokens: a client allowed to introspect (a service account's client never is).
      const watcher = (
        await admin<{ clientId: string; clientSecret: string }>('POST', '/instances/sa-a/clients', {
          clientId: 'sa-watcher',
          grantTypes: ['client_credentials'],
          introspection: true,
        })
      ).body;
      const path = `/instances/sa-a/service-accounts/${account.id}`;
      const issued = await token('sa-a', account, secret, { scope: 'read update' });
      expect(issued.status).toBe(200);
      const accessToken = issued.body.access_token as string;
      expect(jwtPayload(accessToken).scope).toBe('read update');
      const introspected = () =>
        introspect(gw.issuer('sa-a'), watcher.clientId, watcher.clientSecret!, accessToken);
      expect((await introspected()).body.active).toBe(true);

      const disabled = await admin<AccountBody>('PATCH', path, { status: 'disabled' });
      expect(disabled.status).toBe(200);
      expect(disabled.body.status).toBe('disabled');
      const refused = await token('sa-a', account, secret);
      expect(refused.status).toBe(401);
      expect(refused.body.error).toBe('invalid_client');
      // Its tokens stop being active for the APIs that introspect them.
      expect((await introspected()).body).toEqual({ active: false });

      expect((await admin('PATCH', path, { status: 'active' })).status).toBe(200);
      const again = await token('sa-a', account, secret);
      expect(again.status).toBe(200);
      expect((await introspected()).body.active).toBe(true);
    });

    it('changes scopes (the next token carries them) and the description', async () => {
      const account = await create('sa-a', { name: 'rescoped', scopes: ['read'], description: 'first' });
      const path = `/instances/sa-a/service-accounts/${account.id}`;
      const res = await admin<AccountBody>('PATCH', path, { scopes: ['update'], description: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ scopes: ['update'], description: null, status: 'active' });
      const issued = await token('sa-a', account, account.clientSecret!, { scope: 'update' });
      expect(jwtPayload(issued.body.access_token as string).scope).toBe('update');
      const old = await token('sa-a', account, account.clientSecret!, { scope: 'read' });
      expect(old.body.error).toBe('invalid_scope');
      const client = await admin<{ scopes: string[] }>('GET', `/instances/sa-a/clients/${account.clientId}`);
      expect(client.body.scopes).toEqual(['update']);
    });

    it('refuses bad changes with 400 and unknown accounts with 404', async () => {
      const account = await create('sa-a', { name: 'patch-checks', scopes: ['read'] });
      const path = `/instances/sa-a/service-accounts/${account.id}`;
      expectError(await admin('PATCH', path, {}), 400);
      expectError(await admin('PATCH', path, { status: 'deleted' }), 400, 'status');
      expectError(await admin('PATCH', path, { scopes: [] }), 400, 'scopes');
      expectError(await admin('PATCH', path, { scopes: ['admin'] }), 400, 'scopes.0');
      expectError(await admin('PATCH', path, { name: 'renamed' }), 400);
      expectError(
        await admin('PATCH', `/instances/sa-a/service-accounts/${UNKNOWN_ID}`, { status: 'disabled' }),
        404,
      );
      expectError(
        await admin('PATCH', `/instances/nowhere/service-accounts/${account.id}`, { status: 'disabled' }),
        404,
      );
    });
  });

  describe('POST /instances/:name/service-accounts/:id/secret', () => {
    it('rotates at once, or with a grace period during which both secrets work', async () => {
      const account = await create('sa-a', { name: 'rotating', scopes: ['read'] });
      const path = `/instances/sa-a/service-accounts/${account.id}/secret`;
      const first = account.clientSecret!;

      const now = await admin<AccountBody>('POST', path);
      expect(now.status).toBe(200);
      const second = now.body.clientSecret!;
      expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await token('sa-a', account, first)).status).toBe(401);
      expect((await token('sa-a', account, second)).status).toBe(200);

      const graceful = await admin<AccountBody>('POST', path, { gracePeriodSeconds: 1 });
      expect(graceful.status).toBe(200);
      const third = graceful.body.clientSecret!;
      const graceEnds = Date.parse(graceful.body.previousSecretExpiresAt!);
      expect((await token('sa-a', account, second)).status).toBe(200);
      expect((await token('sa-a', account, third)).status).toBe(200);
      await within(5_000, async () => (await token('sa-a', account, second)).status === 401, 100);
      expect(Date.now()).toBeGreaterThanOrEqual(graceEnds);
      expect((await token('sa-a', account, third)).status).toBe(200);
    });

    it('refuses a bad grace period (400) and unknown accounts (404)', async () => {
      const account = await create('sa-a', { name: 'rotate-checks', scopes: ['read'] });
      expectError(
        await admin('POST', `/instances/sa-a/service-accounts/${account.id}/secret`, {
          gracePeriodSeconds: 604801,
        }),
        400,
        'gracePeriodSeconds',
      );
      expectError(await admin('POST', `/instances/sa-a/service-accounts/${UNKNOWN_ID}/secret`), 404);
      expectError(await admin('POST', `/instances/nowhere/service-accounts/${account.id}/secret`), 404);
    });
  });

  describe('DELETE /instances/:name/service-accounts/:id', () => {
    it('removes the account with its client', async () => {
      const account = await create('sa-a', { name: 'short-lived', scopes: ['read'] });
      expect((await token('sa-a', account, account.clientSecret!)).status).toBe(200);
      expect((await admin('DELETE', `/instances/sa-a/service-accounts/${account.id}`)).status).toBe(204);
      expect((await token('sa-a', account, account.clientSecret!)).status).toBe(401);
      expectError(await admin('GET', `/instances/sa-a/service-accounts/${account.id}`), 404);
      expectError(await admin('GET', `/instances/sa-a/clients/${account.clientId}`), 404);
      expectError(await admin('DELETE', `/instances/sa-a/service-accounts/${account.id}`), 404);
      expectError(await admin('DELETE', `/instances/nowhere/service-accounts/${account.id}`), 404);
      // The name is free again.
      await create('sa-a', { name: 'short-lived', scopes: ['read'] });
    });
  });
});
