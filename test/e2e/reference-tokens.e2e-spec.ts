import { codeFlowTokens } from '../support/code-flow';
import type { GatewayProcess } from '../support/gateway-process';
import { createUser, type CreatedUser } from '../support/sign-in-fixture';
import { testBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';
import { clientCredentials, introspect, postAsClient, within } from '../support/token-requests';

interface TokenView {
  id: string;
  kind: 'personal' | 'service';
  subject: string;
  scopes: string[];
  apis: string[];
  description: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  token?: string;
}

interface TokenList {
  items: TokenView[];
  total: number;
  limit: number;
  offset: number;
}

interface Credentials {
  clientId: string;
  clientSecret: string;
}

interface ErrorBody {
  error: string;
  message: string;
  details?: Array<{ field: string; message: string }>;
}

const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'http://localhost:8999/callback';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe(`reference tokens and introspection (${testBackends.postgresUrl ? 'Postgres' : 'PGlite'} + ${testBackends.redisUrl ? 'Redis' : 'in-process state'})`, () => {
  let one: GatewayProcess;
  let two: GatewayProcess;
  let dispose: (() => Promise<void>) | undefined;
  /** Every token and secret the suite saw, to look for in the gateways' output at the end. */
  const secrets: string[] = [];
  let alice: CreatedUser;
  let eve: CreatedUser;
  let exporter: { id: string; clientId: string; clientSecret: string };
  let api: Credentials;
  let apiAtB: Credentials;
  let nosy: Credentials;
  let web: Credentials;
  /** alice's refresh token from the code flow, for the disabling test. */
  let aliceRefreshToken: string | undefined;

  const keep = <T extends { token?: string; clientSecret?: string | null }>(value: T): T => {
    if (value.token) secrets.push(value.token);
    if (value.clientSecret) secrets.push(value.clientSecret);
    return value;
  };

  const issue = async (
    instance: string,
    body: Record<string, unknown>,
  ): Promise<TokenView & { token: string }> => {
    const res = await one.admin<TokenView>('POST', `/instances/${instance}/reference-tokens`, body);
    if (res.status !== 201) throw new Error(`issue failed: ${res.status} ${JSON.stringify(res.body)}`);
    return keep(res.body) as TokenView & { token: string };
  };

  const client = async (instance: string, body: Record<string, unknown>): Promise<Credentials> => {
    const res = await one.admin<Credentials>('POST', `/instances/${instance}/clients`, body);
    if (res.status !== 201) throw new Error(`client failed: ${res.status} ${JSON.stringify(res.body)}`);
    return keep(res.body);
  };

  const introspectAt = async (gw: GatewayProcess, token: string, instance = 'rt-a', caller = api) => {
    const res = await introspect(gw.issuer(instance), caller.clientId, caller.clientSecret, token);
    expect(res.status).toBe(200);
    return res.body;
  };

  const expectError = (res: { status: number; body: unknown }, status: number, field?: string): ErrorBody => {
    expect(res.status).toBe(status);
    const body = res.body as ErrorBody;
    expect(typeof body.error).toBe('string');
    expect(typeof body.message).toBe('string');
    if (field !== undefined) expect(body.details?.map((d) => d.field)).toContain(field);
    return body;
  };

  beforeAll(async () => {
    // A revocation must reach a second process sharing Postgres and Redis. The embedded mode is one
    // process by design; there the same process plays both parts.
    const started = await startTestGateways({ database: 'idgw_reference_tokens', replicas: 2 });
    [one, two = one] = started.gateways;
    dispose = started.dispose;
    for (const name of ['rt-a', 'rt-b']) {
      expect((await one.admin('POST', '/instances', { name })).status).toBe(201);
    }
    alice = await createUser(one, 'rt-a', { username: 'alice', password: PASSWORD, kind: 'internal' });
    eve = await createUser(one, 'rt-a', { username: 'eve', password: PASSWORD, kind: 'external' });
    const account = await one.admin<{ id: string; clientId: string; clientSecret: string }>(
      'POST',
      '/instances/rt-a/service-accounts',
      { name: 'exporter', scopes: ['read'] },
    );
    expect(account.status).toBe(201);
    exporter = keep(account.body);
    // The instance's APIs: confidential clients allowed to introspect.
    api = await client('rt-a', {
      clientId: 'domain-api',
      grantTypes: ['client_credentials'],
      introspection: true,
    });
    apiAtB = await client('rt-b', {
      clientId: 'domain-api',
      grantTypes: ['client_credentials'],
      scopes: ['read'],
      introspection: true,
    });
    nosy = await client('rt-a', { clientId: 'nosy', grantTypes: ['client_credentials'], scopes: ['read'] });
    web = await client('rt-a', {
      clientId: 'web',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [REDIRECT_URI],
      scopes: ['openid', 'profile', 'offline_access', 'read', 'update'],
    });
  });

  afterAll(async () => {
    await dispose?.();
  });

  describe('issuing through the admin API', () => {
    it('issues a personal access token, shown once, that introspects with its fields', async () => {
      const before = Math.floor(Date.now() / 1000) - 1;
      const pat = await issue('rt-a', {
        kind: 'personal',
        subject: alice.id,
        scopes: ['read', 'update'],
        description: 'reporting from my laptop',
      });
      expect(pat).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        kind: 'personal',
        subject: alice.id,
        scopes: ['read', 'update'],
        apis: ['domain', 'table'],
        description: 'reporting from my laptop',
        expiresAt: null,
        lastUsedAt: null,
        createdAt: expect.any(String),
        token: expect.stringMatching(/^erp_pat_[A-Za-z0-9_-]{43}$/),
      });

      const body = await introspectAt(two, pat.token);
      expect(body).toEqual({
        active: true,
        token_type: 'access_token',
        // The replicas of a test listen on different ports, so each is its own origin.
        iss: two.issuer('rt-a'),
        sub: alice.id,
        scope: 'read update',
        aud: [`${two.origin('rt-a')}/api/domain`, `${two.origin('rt-a')}/api/table`],
        iat: expect.any(Number),
        jti: pat.id,
        erp_user_kind: 'internal',
        erp_token_kind: 'personal',
      });
      expect(body.iat as number).toBeGreaterThanOrEqual(before);

      // The token is never shown again, and its last use is recorded.
      const shown = await one.admin<TokenView>('GET', `/instances/rt-a/reference-tokens/${pat.id}`);
      expect(shown.status).toBe(200);
      expect(shown.body).not.toHaveProperty('token');
      await within(5_000, async () => {
        const res = await one.admin<TokenView>('GET', `/instances/rt-a/reference-tokens/${pat.id}`);
        return res.body.lastUsedAt !== null;
      });
    });

    it("issues a service access token within the service account's scopes, for the APIs asked for", async () => {
      const expiresAt = new Date(Date.now() + 3_600_000);
      const sat = await issue('rt-a', {
        kind: 'service',
        subject: exporter.id,
        scopes: ['read'],
        apis: ['table'],
        expiresAt: expiresAt.toISOString(),
      });
      expect(sat.token).toMatch(/^erp_sat_[A-Za-z0-9_-]{43}$/);
      expect(sat).toMatchObject({ kind: 'service', subject: exporter.id, apis: ['table'] });
      expect(Date.parse(sat.expiresAt!)).toBe(expiresAt.getTime());
      expect(await introspectAt(one, sat.token)).toEqual({
        active: true,
        token_type: 'access_token',
        iss: one.issuer('rt-a'),
        sub: exporter.id,
        client_id: exporter.clientId,
        scope: 'read',
        aud: `${one.origin('rt-a')}/api/table`,
        exp: Math.floor(expiresAt.getTime() / 1000),
        iat: expect.any(Number),
        jti: sat.id,
        erp_user_kind: 'service',
        erp_token_kind: 'service',
      });
    });

    it('refuses what the subject may not have (422) and malformed requests (400)', async () => {
      const path = '/instances/rt-a/reference-tokens';
      expectError(
        await one.admin('POST', path, { kind: 'personal', subject: eve.id, scopes: ['read'] }),
        422,
        'subject',
      );
      expectError(
        await one.admin('POST', path, { kind: 'service', subject: exporter.id, scopes: ['read', 'update'] }),
        422,
        'scopes',
      );
      expectError(
        await one.admin('POST', path, { kind: 'personal', subject: UNKNOWN_ID, scopes: ['read'] }),
        422,
        'subject',
      );
      // A user id is not a service account.
      expectError(
        await one.admin('POST', path, { kind: 'service', subject: alice.id, scopes: ['read'] }),
        422,
        'subject',
      );
      expectError(
        await one.admin('POST', path, { kind: 'robot', subject: alice.id, scopes: ['read'] }),
        400,
        'kind',
      );
      expectError(
        await one.admin('POST', path, { kind: 'personal', subject: 'alice', scopes: ['read'] }),
        400,
        'subject',
      );
      expectError(
        await one.admin('POST', path, { kind: 'personal', subject: alice.id, scopes: ['openid'] }),
        400,
      );
      expectError(
        await one.admin('POST', path, { kind: 'personal', subject: alice.id, scopes: [] }),
        400,
        'scopes',
      );
      expectError(
        await one.admin('POST', path, {
          kind: 'personal',
          subject: alice.id,
          scopes: ['read'],
          apis: ['billing'],
        }),
        400,
      );
      expectError(
        await one.admin('POST', path, {
          kind: 'personal',
          subject: alice.id,
          scopes: ['read'],
          expiresAt: new Date(Date.now() - 1000).toISOString(),
        }),
        400,
        'expiresAt',
      );
      expectError(
        await one.admin('POST', path, { kind: 'personal', subject: alice.id, scopes: ['read'], extra: 1 }),
        400,
      );
      // alice belongs to rt-a only.
      expectError(
        await one.admin('POST', '/instances/rt-b/reference-tokens', {
          kind: 'personal',
          subject: alice.id,
          scopes: ['read'],
        }),
        422,
        'subject',
      );
      expectError(
        await one.admin('POST', '/instances/nowhere/reference-tokens', {
          kind: 'personal',
          subject: alice.id,
          scopes: ['read'],
        }),
        404,
      );
      expectError(
        await one.admin('POST', path, { kind: 'personal', subject: alice.id, scopes: ['read'] }, ''),
        401,
      );
    });

    it('lists tokens without secrets, by subject and kind, a page at a time', async () => {
      await issue('rt-a', { kind: 'personal', subject: alice.id, scopes: ['read'] });
      await issue('rt-a', { kind: 'service', subject: exporter.id, scopes: ['read'] });
      const all = await one.admin<TokenList>('GET', '/instances/rt-a/reference-tokens');
      expect(all.status).toBe(200);
      expect(all.body.total).toBeGreaterThanOrEqual(4);
      const text = JSON.stringify(all.body);
      expect(text).not.toContain('erp_pat_');
      expect(text).not.toContain('erp_sat_');
      expect(text).not.toMatch(/[0-9a-f]{64}/);
      for (const item of all.body.items) expect(Object.keys(item)).not.toContain('token');

      const mine = await one.admin<TokenList>('GET', `/instances/rt-a/reference-tokens?subject=${alice.id}`);
      expect(mine.body.items.length).toBeGreaterThanOrEqual(2);
      expect(mine.body.items.every((t) => t.subject === alice.id && t.kind === 'personal')).toBe(true);
      const services = await one.admin<TokenList>('GET', '/instances/rt-a/reference-tokens?kind=service');
      expect(services.body.items.every((t) => t.kind === 'service')).toBe(true);
      const page = await one.admin<TokenList>('GET', '/instances/rt-a/reference-tokens?limit=1&offset=1');
      expect(page.body).toMatchObject({ limit: 1, offset: 1, total: all.body.total });
      expect(page.body.items).toEqual([all.body.items[1]]);
      expectError(await one.admin('GET', '/instances/rt-a/reference-tokens?kind=robot'), 400, 'kind');
      expectError(await one.admin('GET', '/instances/rt-a/reference-tokens?limit=0'), 400, 'limit');
      expectError(await one.admin('GET', '/instances/rt-a/reference-tokens?subject=bob'), 400, 'subject');
      expectError(await one.admin('GET', `/instances/rt-a/reference-tokens/${UNKNOWN_ID}`), 404);
    });
  });

  describe('introspection', () => {
    it('says inactive on the other replica within a second of a revocation through the admin API', async () => {
      const pat = await issue('rt-a', { kind: 'personal', subject: alice.id, scopes: ['read'] });
      expect((await introspectAt(two, pat.token)).active).toBe(true);
      expect((await one.admin('DELETE', `/instances/rt-a/reference-tokens/${pat.id}`)).status).toBe(204);
      await within(1_000, async () => (await introspectAt(two, pat.token)).active === false);
      expect(await introspectAt(two, pat.token)).toEqual({ active: false });
      expectError(await one.admin('DELETE', `/instances/rt-a/reference-tokens/${pat.id}`), 404);
      expectError(await one.admin('DELETE', '/instances/rt-a/reference-tokens/not-an-id'), 404);
    });

    it('says inactive once a token expires', async () => {
      const pat = await issue('rt-a', {
        kind: 'personal',
        subject: alice.id,
        scopes: ['read'],
        expiresAt: new Date(Date.now() + 1_500).toISOString(),
      });
      expect((await introspectAt(one, pat.token)).active).toBe(true);
      await within(5_000, async () => (await introspectAt(two, pat.token)).active === false, 100);
    });

    it("says inactive for instance A's token at instance B, for unknown and altered tokens", async () => {
      const pat = await issue('rt-a', { kind: 'personal', subject: alice.id, scopes: ['read'] });
      expect(await introspectAt(one, pat.token, 'rt-b', apiAtB)).toEqual({ active: false });
      const altered = pat.token.slice(0, -1) + (pat.token.endsWith('A') ? 'B' : 'A');
      expect(await introspectAt(one, altered)).toEqual({ active: false });
      expect(await introspectAt(one, `erp_pat_${'x'.repeat(43)}`)).toEqual({ active: false });
      expect(await introspectAt(one, 'erp_pat_short')).toEqual({ active: false });
    });

    it('refuses clients not allowed to introspect with 403 unauthorized_client, whatever the token', async () => {
      const pat = await issue('rt-a', { kind: 'personal', subject: alice.id, scopes: ['read'] });
      const jwt = (await clientCredentials(one.issuer('rt-a'), 'nosy', nosy.clientSecret, { scope: 'read' }))
        .body.access_token as string;
      secrets.push(jwt);
      for (const token of [pat.token, jwt, 'unknown-token']) {
        const res = await introspect(one.issuer('rt-a'), 'nosy', nosy.clientSecret, token);
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({
          error: 'unauthorized_client',
          error_description: expect.any(String),
        });
      }
      // A service account's client is never allowed.
      const res = await introspect(one.issuer('rt-a'), exporter.clientId, exporter.clientSecret, pat.token);
      expect(res.status).toBe(403);
      // Wrong credentials stay 401.
      expect((await introspect(one.issuer('rt-a'), 'domain-api', 'wrong-secret', pat.token)).status).toBe(
        401,
      );
      // A public client cannot be given the permission.
      expectError(
        await one.admin('POST', '/instances/rt-a/clients', {
          clientId: 'spa',
          grantTypes: ['authorization_code'],
          redirectUris: [REDIRECT_URI],
          tokenEndpointAuthMethod: 'none',
          introspection: true,
        }),
        400,
        'introspection',
      );
      // The flag is shown and can be changed.
      expect(
        (await one.admin<{ introspection: boolean }>('GET', '/instances/rt-a/clients/nosy')).body
          .introspection,
      ).toBe(false);
      const flagged = await one.admin<{ introspection: boolean }>('PATCH', '/instances/rt-a/clients/nosy', {
        introspection: true,
      });
      expect(flagged.body.introspection).toBe(true);
      await within(
        1_000,
        async () =>
          (await introspect(two.issuer('rt-a'), 'nosy', nosy.clientSecret, pat.token)).status === 200,
      );
      await one.admin('PATCH', '/instances/rt-a/clients/nosy', { introspection: false });
    });

    it('answers for a service account through client credentials, with its scopes and kind', async () => {
      const res = await clientCredentials(one.issuer('rt-a'), exporter.clientId, exporter.clientSecret, {
        scope: 'read',
      });
      expect(res.status).toBe(200);
      const token = res.body.access_token as string;
      secrets.push(token);
      // A JWT names its issuer's origin: introspected where it was issued (the test replicas' ports differ).
      expect(await introspectAt(one, token)).toMatchObject({
        active: true,
        client_id: exporter.clientId,
        sub: exporter.clientId,
        scope: 'read',
        aud: `${one.origin('rt-a')}/api/domain`,
        erp_user_kind: 'service',
      });
    });

    it("gives an internal user an API token, refuses one for an external user, and answers for the user's refresh token", async () => {
      const tokens = await codeFlowTokens({
        issuer: one.issuer('rt-a'),
        clientId: 'web',
        clientSecret: web.clientSecret,
        redirectUri: REDIRECT_URI,
        username: 'alice',
        password: PASSWORD,
        scope: 'openid offline_access read',
      });
      secrets.push(tokens.access_token, tokens.refresh_token!, tokens.id_token);
      aliceRefreshToken = tokens.refresh_token;
      expect(await introspectAt(one, tokens.access_token)).toMatchObject({
        active: true,
        sub: alice.id,
        scope: 'read',
        aud: `${one.origin('rt-a')}/api/domain`,
        erp_user_kind: 'internal',
      });
      expect(await introspectAt(one, tokens.refresh_token!)).toMatchObject({
        active: true,
        sub: alice.id,
        client_id: 'web',
        erp_user_kind: 'internal',
      });

      await expect(
        codeFlowTokens({
          issuer: one.issuer('rt-a'),
          clientId: 'web',
          clientSecret: web.clientSecret,
          redirectUri: REDIRECT_URI,
          username: 'eve',
          password: PASSWORD,
          scope: 'openid read',
          resource: `${one.origin('rt-a')}/api/domain`,
        }),
      ).rejects.toThrow(/invalid_target/);
    });

    it("makes a user's personal tokens inactive and refresh tokens unusable once the user is disabled", async () => {
      const pat = await issue('rt-a', { kind: 'personal', subject: alice.id, scopes: ['read'] });
      const path = `/instances/rt-a/users/${alice.id}`;
      expect(aliceRefreshToken).toEqual(expect.any(String));
      expect((await one.admin('PATCH', path, { status: 'disabled' })).status).toBe(200);
      await within(1_000, async () => (await introspectAt(two, pat.token)).active === false);
      // At the issuing replica's origin (the test replicas' ports differ, and with them the issuer).
      const refresh = await postAsClient(`${one.issuer('rt-a')}/connect/token`, 'web', web.clientSecret, {
        grant_type: 'refresh_token',
        refresh_token: aliceRefreshToken!,
      });
      expect(refresh.status).toBe(400);
      expect(refresh.body.error).toBe('invalid_grant');
      expect((await one.admin('PATCH', path, { status: 'active' })).status).toBe(200);
      expect((await introspectAt(two, pat.token)).active).toBe(true);
      // A user who becomes external loses them too.
      expect((await one.admin('PATCH', path, { kind: 'external' })).status).toBe(200);
      expect(await introspectAt(two, pat.token)).toEqual({ active: false });
      expect((await one.admin('PATCH', path, { kind: 'internal' })).status).toBe(200);
    });

    it("makes a service account's tokens inactive while it is disabled and for good once it is deleted", async () => {
      const account = await one.admin<{ id: string; clientSecret: string }>(
        'POST',
        '/instances/rt-a/service-accounts',
        {
          name: 'short-lived',
          scopes: ['read', 'update'],
        },
      );
      keep(account.body);
      const sat = await issue('rt-a', {
        kind: 'service',
        subject: account.body.id,
        scopes: ['read', 'update'],
      });
      const path = `/instances/rt-a/service-accounts/${account.body.id}`;
      expect((await one.admin('PATCH', path, { status: 'disabled' })).status).toBe(200);
      expect(await introspectAt(two, sat.token)).toEqual({ active: false });
      expect((await one.admin('PATCH', path, { status: 'active', scopes: ['update'] })).status).toBe(200);
      // Only the scopes the account still has.
      expect(await introspectAt(two, sat.token)).toMatchObject({ active: true, scope: 'update' });
      expect((await one.admin('DELETE', path)).status).toBe(204);
      expect(await introspectAt(two, sat.token)).toEqual({ active: false });
      const listed = await one.admin<TokenList>(
        'GET',
        `/instances/rt-a/reference-tokens?subject=${account.body.id}`,
      );
      expect(listed.body).toMatchObject({ items: [], total: 0 });
    });
  });

  describe('revocation endpoint', () => {
    it('answers unsupported_token_type for a reference token and leaves it active', async () => {
      const pat = await issue('rt-a', { kind: 'personal', subject: alice.id, scopes: ['read'] });
      const res = await postAsClient(
        `${one.issuer('rt-a')}/connect/revocation`,
        'domain-api',
        api.clientSecret,
        {
          token: pat.token,
        },
      );
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('unsupported_token_type');
      expect((await introspectAt(one, pat.token)).active).toBe(true);
    });
  });

  describe('deleting a client', () => {
    it('ends its refresh tokens for good: a client re-created with the same id cannot use them', async () => {
      const body = {
        clientId: 'reborn',
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [REDIRECT_URI],
        scopes: ['openid', 'offline_access'],
      };
      const first = await client('rt-a', body);
      const tokens = await codeFlowTokens({
        issuer: one.issuer('rt-a'),
        clientId: 'reborn',
        clientSecret: first.clientSecret,
        redirectUri: REDIRECT_URI,
        username: 'alice',
        password: PASSWORD,
        scope: 'openid offline_access',
      });
      secrets.push(tokens.refresh_token!, tokens.access_token, tokens.id_token);
      expect((await introspectAt(one, tokens.refresh_token!)).active).toBe(true);

      expect((await one.admin('DELETE', '/instances/rt-a/clients/reborn')).status).toBe(204);
      // The same id and secret again.
      await client('rt-a', { ...body, clientSecret: first.clientSecret });
      // Wait until the new client authenticates (so a refusal is about the token, not the client),
      // probing with a request that cannot use up the refresh token: revoking an unknown token.
      await within(
        1_000,
        async () =>
          (
            await postAsClient(`${one.issuer('rt-a')}/connect/revocation`, 'reborn', first.clientSecret, {
              token: 'not-a-token',
            })
          ).status === 200,
      );
      const refused = await postAsClient(
        `${one.issuer('rt-a')}/connect/token`,
        'reborn',
        first.clientSecret,
        {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token!,
        },
      );
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('invalid_grant');
      expect(await introspectAt(one, tokens.refresh_token!)).toEqual({ active: false });
    });
  });

  describe('API identifiers per instance', () => {
    it('uses the identifiers set on the instance for tokens and introspection, and refuses non-https ones', async () => {
      expectError(
        await one.admin('PATCH', '/instances/rt-b', {
          apis: { domain: { identifier: 'http://api.example.test/domain' } },
        }),
        400,
        'apis.domain.identifier',
      );
      expectError(
        await one.admin('PATCH', '/instances/rt-b', { apis: { billing: { identifier: 'https://x.test' } } }),
        400,
      );
      const patched = await one.admin<{ apis: unknown }>('PATCH', '/instances/rt-b', {
        apis: { domain: { identifier: 'https://erp.example.test/domain' } },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.apis).toEqual({ domain: { identifier: 'https://erp.example.test/domain' } });
      const bob = await createUser(one, 'rt-b', { username: 'bob', password: PASSWORD, kind: 'internal' });
      const pat = await issue('rt-b', { kind: 'personal', subject: bob.id, scopes: ['read'] });
      await within(1_000, async () => {
        const body = await introspectAt(two, pat.token, 'rt-b', apiAtB);
        return (
          JSON.stringify(body.aud) ===
          JSON.stringify(['https://erp.example.test/domain', `${two.origin('rt-b')}/api/table`])
        );
      });
      const cc = await clientCredentials(two.issuer('rt-b'), 'domain-api', apiAtB.clientSecret, {
        resource: 'https://erp.example.test/domain',
      });
      expect(cc.status).toBe(200);
      secrets.push(cc.body.access_token as string);
      expect((await introspectAt(two, cc.body.access_token as string, 'rt-b', apiAtB)).aud).toBe(
        'https://erp.example.test/domain',
      );
      const reset = await one.admin<{ apis: unknown }>('PATCH', '/instances/rt-b', { apis: null });
      expect(reset.body.apis).toBeNull();
    });
  });

  it('never writes a token or secret to the log output', async () => {
    expect(secrets.length).toBeGreaterThan(10);
    const output = [...one.output, ...(two === one ? [] : two.output)].join('');
    expect(output.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(output.includes(secret)).toBe(false);
  });
});
