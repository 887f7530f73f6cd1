import { codeFlowTokens } from '../support/code-flow';
import type { GatewayProcess } from '../support/gateway-process';
import { createUser } from '../support/sign-in-fixture';
import { testBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';
import { clientCredentials, introspect, postAsClient, within } from '../support/token-requests';

interface ClientBody {
  id: string;
  clientId: string;
  clientName: string | null;
  tokenEndpointAuthMethod: string;
  grantTypes: string[];
  responseTypes: string[];
  scopes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  frontchannelLogoutUri: string | null;
  requireConsent: boolean;
  previousSecretExpiresAt: string | null;
  serviceAccountId: string | null;
  createdAt: string;
  updatedAt: string;
  clientSecret?: string | null;
}

interface ErrorBody {
  error: string;
  message: string;
  details?: Array<{ field: string; message: string }>;
}

const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'http://localhost:8999/callback';

describe(`clients admin API (${testBackends.postgresUrl ? 'Postgres' : 'PGlite'} + ${testBackends.redisUrl ? 'Redis' : 'in-process state'})`, () => {
  let gw: GatewayProcess;
  let dispose: (() => Promise<void>) | undefined;
  /** Every admin response body of the suite, to check that none carries a stored hash. */
  const bodies: unknown[] = [];

  const admin = async <T>(method: string, path: string, body?: unknown, token?: string) => {
    const res = await gw.admin<T>(method, path, body, token);
    bodies.push(res.body);
    return res;
  };

  const createClient = async (instance: string, body: Record<string, unknown>): Promise<ClientBody> => {
    const res = await admin<ClientBody>('POST', `/instances/${instance}/clients`, body);
    expect(res.status).toBe(201);
    return res.body;
  };

  const serviceClient = (instance: string, clientId: string) =>
    createClient(instance, { clientId, grantTypes: ['client_credentials'], scopes: ['read', 'update'] });

  const tokenStatus = async (instance: string, clientId: string, secret: string): Promise<number> =>
    (await clientCredentials(gw.issuer(instance), clientId, secret)).status;

  const expectError = (res: { status: number; body: unknown }, status: number, field?: string): ErrorBody => {
    expect(res.status).toBe(status);
    const body = res.body as ErrorBody;
    expect(typeof body.error).toBe('string');
    expect(typeof body.message).toBe('string');
    if (field !== undefined) expect(body.details?.map((d) => d.field)).toContain(field);
    return body;
  };

  beforeAll(async () => {
    ({ gw, dispose } = await startTestGateways({ database: 'idgw_clients' }));
    for (const name of ['clients-a', 'clients-b']) {
      expect((await gw.admin('POST', '/instances', { name })).status).toBe(201);
    }
    await createUser(gw, 'clients-a', { username: 'ida', password: PASSWORD, kind: 'internal' });
  });

  afterAll(async () => {
    await dispose?.();
  });

  afterAll(() => {
    const text = JSON.stringify(bodies);
    expect(text).not.toContain('$argon2');
    expect(text).not.toMatch(/secretHash|secret_hash/i);
  });

  describe('authentication', () => {
    it.each([
      ['GET', '/instances/clients-a/clients/any'],
      ['PATCH', '/instances/clients-a/clients/any'],
      ['DELETE', '/instances/clients-a/clients/any'],
      ['POST', '/instances/clients-a/clients/any/secret'],
    ])('answers 401 to %s %s without a token or with a wrong one', async (method, path) => {
      const body = method === 'PATCH' ? { requireConsent: true } : undefined;
      expectError(await admin(method, path, body, ''), 401);
      expectError(await admin(method, path, body, 'not-the-admin-token-0123456789'), 401);
    });
  });

  describe('GET /instances/:name/clients/:clientId', () => {
    it('shows one client without its secret', async () => {
      const created = await serviceClient('clients-a', 'show-me');
      const res = await admin<ClientBody>('GET', '/instances/clients-a/clients/show-me');
      expect(res.status).toBe(200);
      const { clientSecret, ...view } = created;
      expect(clientSecret).toEqual(expect.any(String));
      expect(res.body).toEqual(view);
      expect(res.body).not.toHaveProperty('clientSecret');
      expect(res.body).toMatchObject({ previousSecretExpiresAt: null, serviceAccountId: null });
    });

    it('answers 404 for an unknown client, a client of another instance and an unknown instance', async () => {
      expectError(await admin('GET', '/instances/clients-a/clients/nobody'), 404);
      await serviceClient('clients-b', 'only-in-b');
      expectError(await admin('GET', '/instances/clients-a/clients/only-in-b'), 404);
      expect((await admin('GET', '/instances/clients-b/clients/only-in-b')).status).toBe(200);
      expectError(await admin('GET', '/instances/no-such-instance/clients/only-in-b'), 404);
    });
  });

  describe('PATCH /instances/:name/clients/:clientId', () => {
    it('changes mutable fields, and the issuer uses them at once', async () => {
      const created = await serviceClient('clients-a', 'patch-me');
      const secret = created.clientSecret!;
      const issuer = gw.issuer('clients-a');
      expect((await clientCredentials(issuer, 'patch-me', secret, { scope: 'update' })).status).toBe(200);

      const res = await admin<ClientBody>('PATCH', '/instances/clients-a/clients/patch-me', {
        scopes: ['read'],
        clientName: 'Nightly sync',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ clientId: 'patch-me', scopes: ['read'], clientName: 'Nightly sync' });
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));

      const refused = await clientCredentials(issuer, 'patch-me', secret, { scope: 'update' });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('invalid_scope');
      expect((await clientCredentials(issuer, 'patch-me', secret, { scope: 'read' })).status).toBe(200);

      const cleared = await admin<ClientBody>('PATCH', '/instances/clients-a/clients/patch-me', {
        clientName: null,
      });
      expect(cleared.status).toBe(200);
      expect(cleared.body.clientName).toBeNull();
    });

    it('turns a service client into an interactive one with the registration rules of creation', async () => {
      await serviceClient('clients-a', 'grows-up');
      const res = await admin<ClientBody>('PATCH', '/instances/clients-a/clients/grows-up', {
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [REDIRECT_URI],
        postLogoutRedirectUris: ['http://localhost:8999/bye'],
        backchannelLogoutUri: 'http://localhost:8999/backchannel',
        frontchannelLogoutUri: 'http://localhost:8999/frontchannel',
        requireConsent: true,
        scopes: ['openid', 'profile', 'offline_access'],
        tokenEndpointAuthMethod: 'client_secret_post',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        grantTypes: ['authorization_code', 'refresh_token'],
        responseTypes: ['code'],
        redirectUris: [REDIRECT_URI],
        postLogoutRedirectUris: ['http://localhost:8999/bye'],
        backchannelLogoutUri: 'http://localhost:8999/backchannel',
        frontchannelLogoutUri: 'http://localhost:8999/frontchannel',
        requireConsent: true,
        tokenEndpointAuthMethod: 'client_secret_post',
      });
      const back = await admin<ClientBody>('PATCH', '/instances/clients-a/clients/grows-up', {
        backchannelLogoutUri: null,
        frontchannelLogoutUri: null,
      });
      expect(back.body).toMatchObject({ backchannelLogoutUri: null, frontchannelLogoutUri: null });
    });

    it('refuses what breaks the registration rules with 400 naming the field', async () => {
      await serviceClient('clients-a', 'strict');
      const path = '/instances/clients-a/clients/strict';
      expectError(
        await admin('PATCH', path, { redirectUris: ['https://app.example/cb'] }),
        400,
        'redirectUris',
      );
      expectError(await admin('PATCH', path, { grantTypes: ['refresh_token'] }), 400, 'grantTypes');
      expectError(
        await admin('PATCH', path, { tokenEndpointAuthMethod: 'none' }),
        400,
        'tokenEndpointAuthMethod',
      );
      expectError(
        await admin('PATCH', path, {
          grantTypes: ['authorization_code'],
          responseTypes: ['id_token'],
          redirectUris: ['https://app.example/cb'],
        }),
        400,
        'responseTypes',
      );
      expectError(
        await admin('PATCH', path, {
          grantTypes: ['authorization_code'],
          redirectUris: ['http://app.example/cb'],
        }),
        400,
        'redirectUris',
      );
      // Syntax, unknown fields and an empty change are refused by the schema.
      expectError(await admin('PATCH', path, { grantTypes: ['password'] }), 400, 'grantTypes.0');
      expectError(await admin('PATCH', path, { clientId: 'renamed' }), 400);
      expectError(await admin('PATCH', path, { clientSecret: 'a-new-secret-of-length' }), 400);
      expectError(await admin('PATCH', path, {}), 400);
      expectError(await admin('PATCH', path, '[1]'), 400);
      // Nothing changed.
      const unchanged = await admin<ClientBody>('GET', path);
      expect(unchanged.body).toMatchObject({ grantTypes: ['client_credentials'], redirectUris: [] });
    });

    it('answers 404 for an unknown client or instance', async () => {
      expectError(await admin('PATCH', '/instances/clients-a/clients/nobody', { requireConsent: true }), 404);
      expectError(await admin('PATCH', '/instances/nowhere/clients/strict', { requireConsent: true }), 404);
    });
  });

  describe("the instance policy's allowed grant and response types", () => {
    beforeAll(async () => {
      const res = await admin('PATCH', '/instances/clients-b/policies', {
        allowedGrantTypes: ['authorization_code', 'client_credentials'],
        allowedResponseTypes: ['code'],
      });
      expect(res.status).toBe(200);
    });

    it('refuses a new client with a grant or response type the policy does not allow (422)', async () => {
      const refresh = await admin<ErrorBody>('POST', '/instances/clients-b/clients', {
        clientId: 'wants-refresh',
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [REDIRECT_URI],
      });
      expect(expectError(refresh, 422, 'grantTypes').error).toBe('policy_violation');
      const hybrid = await admin('POST', '/instances/clients-b/clients', {
        clientId: 'wants-hybrid',
        grantTypes: ['authorization_code'],
        responseTypes: ['code id_token'],
        redirectUris: ['https://app.example/cb'],
      });
      expectError(hybrid, 422, 'responseTypes');
      expectError(await admin('GET', '/instances/clients-b/clients/wants-refresh'), 404);
    });

    it('refuses a change to such a type (422) and accepts allowed ones', async () => {
      await createClient('clients-b', {
        clientId: 'web-b',
        grantTypes: ['authorization_code'],
        redirectUris: [REDIRECT_URI],
      });
      expectError(
        await admin('PATCH', '/instances/clients-b/clients/web-b', {
          grantTypes: ['authorization_code', 'refresh_token'],
        }),
        422,
        'grantTypes',
      );
      const ok = await admin<ClientBody>('PATCH', '/instances/clients-b/clients/web-b', {
        redirectUris: [REDIRECT_URI, 'http://localhost:8999/other'],
      });
      expect(ok.status).toBe(200);
    });
  });

  describe('POST /instances/:name/clients/:clientId/secret', () => {
    it('without a grace period: the new secret works and the old one fails at once', async () => {
      const created = await serviceClient('clients-a', 'rotate-now');
      const old = created.clientSecret!;
      expect(await tokenStatus('clients-a', 'rotate-now', old)).toBe(200);
      const res = await admin<ClientBody>('POST', '/instances/clients-a/clients/rotate-now/secret');
      expect(res.status).toBe(200);
      expect(res.body.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(res.body.clientSecret).not.toBe(old);
      expect(res.body.previousSecretExpiresAt).toBeNull();
      expect(await tokenStatus('clients-a', 'rotate-now', old)).toBe(401);
      expect(await tokenStatus('clients-a', 'rotate-now', res.body.clientSecret!)).toBe(200);
      // The secret is shown once: never in a later read.
      const shown = await admin<ClientBody>('GET', '/instances/clients-a/clients/rotate-now');
      expect(shown.body).not.toHaveProperty('clientSecret');
    });

    it('with a grace period: both secrets work until it ends, then only the new one', async () => {
      const created = await serviceClient('clients-a', 'rotate-grace');
      const old = created.clientSecret!;
      const res = await admin<ClientBody>('POST', '/instances/clients-a/clients/rotate-grace/secret', {
        gracePeriodSeconds: 2,
      });
      expect(res.status).toBe(200);
      const fresh = res.body.clientSecret!;
      const graceEnds = Date.parse(res.body.previousSecretExpiresAt!);
      expect(graceEnds).toBeGreaterThan(Date.now());
      expect(graceEnds).toBeLessThanOrEqual(Date.now() + 2_000);

      expect(await tokenStatus('clients-a', 'rotate-grace', old)).toBe(200);
      expect(await tokenStatus('clients-a', 'rotate-grace', fresh)).toBe(200);
      // The old secret, already verified once, stops at the end of the grace period, not before.
      await within(5_000, async () => (await tokenStatus('clients-a', 'rotate-grace', old)) === 401, 100);
      expect(Date.now()).toBeGreaterThanOrEqual(graceEnds);
      expect(await tokenStatus('clients-a', 'rotate-grace', fresh)).toBe(200);
    });

    it('refuses a public client (409), a bad grace period (400) and unknown clients (404)', async () => {
      await createClient('clients-a', {
        clientId: 'spa',
        grantTypes: ['authorization_code'],
        redirectUris: [REDIRECT_URI],
        tokenEndpointAuthMethod: 'none',
      });
      const publicClient = expectError(await admin('POST', '/instances/clients-a/clients/spa/secret'), 409);
      expect(publicClient.message).toContain('public client');
      await serviceClient('clients-a', 'grace-bounds');
      const path = '/instances/clients-a/clients/grace-bounds/secret';
      expectError(
        await admin('POST', path, { gracePeriodSeconds: 7 * 24 * 3600 + 1 }),
        400,
        'gracePeriodSeconds',
      );
      expectError(await admin('POST', path, { gracePeriodSeconds: -1 }), 400, 'gracePeriodSeconds');
      expectError(await admin('POST', path, { gracePeriodSeconds: 1.5 }), 400, 'gracePeriodSeconds');
      expectError(await admin('POST', path, { grace: 5 }), 400);
      expectError(await admin('POST', '/instances/clients-a/clients/nobody/secret'), 404);
      expectError(await admin('POST', '/instances/nowhere/clients/grace-bounds/secret'), 404);
      expect((await admin('POST', path, { gracePeriodSeconds: 7 * 24 * 3600 })).status).toBe(200);
    });
  });

  describe('DELETE /instances/:name/clients/:clientId', () => {
    it("ends the client's refresh tokens and its access tokens' introspection", async () => {
      const web = await createClient('clients-a', {
        clientId: 'doomed-web',
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [REDIRECT_URI],
        scopes: ['openid', 'profile', 'offline_access'],
      });
      const svc = await serviceClient('clients-a', 'doomed-svc');
      const watcher = await createClient('clients-a', {
        clientId: 'watcher',
        grantTypes: ['client_credentials'],
        introspection: true,
      });
      const issuer = gw.issuer('clients-a');

      const tokens = await codeFlowTokens({
        issuer,
        clientId: 'doomed-web',
        clientSecret: web.clientSecret!,
        redirectUri: REDIRECT_URI,
        username: 'ida',
        password: PASSWORD,
        scope: 'openid profile offline_access',
      });
      expect(tokens.refresh_token).toEqual(expect.any(String));
      const cc = await clientCredentials(issuer, 'doomed-svc', svc.clientSecret!);
      expect(cc.status).toBe(200);
      const ccToken = cc.body.access_token as string;
      expect((await introspect(issuer, 'watcher', watcher.clientSecret!, ccToken)).body.active).toBe(true);

      // A refresh works before the deletion (so the check below can fail), and rotates the token.
      const refreshed = await postAsClient(`${issuer}/connect/token`, 'doomed-web', web.clientSecret!, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
      });
      expect(refreshed.status).toBe(200);

      expect((await admin('DELETE', '/instances/clients-a/clients/doomed-web')).status).toBe(204);
      expect((await admin('DELETE', '/instances/clients-a/clients/doomed-svc')).status).toBe(204);

      const refused = await postAsClient(`${issuer}/connect/token`, 'doomed-web', web.clientSecret!, {
        grant_type: 'refresh_token',
        refresh_token: refreshed.body.refresh_token as string,
      });
      expect(refused.status).toBe(401);
      expect(refused.body.error).toBe('invalid_client');
      expect((await introspect(issuer, 'watcher', watcher.clientSecret!, ccToken)).body).toEqual({
        active: false,
      });
      expect(await tokenStatus('clients-a', 'doomed-svc', svc.clientSecret!)).toBe(401);

      expectError(await admin('GET', '/instances/clients-a/clients/doomed-web'), 404);
      expectError(await admin('DELETE', '/instances/clients-a/clients/doomed-web'), 404);
      expectError(await admin('DELETE', '/instances/nowhere/clients/watcher'), 404);
    });
  });

  describe("a service account's client", () => {
    it('is shown with its account but changed only through it (409)', async () => {
      const created = await admin<{ id: string; clientId: string }>(
        'POST',
        '/instances/clients-a/service-accounts',
        { name: 'owned', scopes: ['read'] },
      );
      expect(created.status).toBe(201);
      const path = `/instances/clients-a/clients/${created.body.clientId}`;
      const shown = await admin<ClientBody>('GET', path);
      expect(shown.status).toBe(200);
      expect(shown.body).toMatchObject({
        serviceAccountId: created.body.id,
        grantTypes: ['client_credentials'],
        redirectUris: [],
        scopes: ['read'],
      });
      for (const res of [
        await admin('PATCH', path, { scopes: ['read', 'update'] }),
        await admin('DELETE', path),
        await admin('POST', `${path}/secret`),
      ]) {
        const body = expectError(res, 409);
        expect(body.message).toContain(`/service-accounts/${created.body.id}`);
      }
      expect((await admin('GET', path)).status).toBe(200);
    });
  });
});
