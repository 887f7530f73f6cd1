import { decodeProtectedHeader } from 'jose';
import { IntrospectionClient } from '../../libs/resource-server/src/introspection-client';
import { IssuerMetadataSource } from '../../libs/resource-server/src/issuer-metadata';
import { resolveResourceServerOptions } from '../../libs/resource-server/src/resource-server-options';
import { codeFlowTokens } from '../support/code-flow';
import { ExampleApiProcess } from '../support/example-api-process';
import type { GatewayProcess } from '../support/gateway-process';
import { loopbackCustomFetch } from '../support/loopback-fetch';
import { createClient, createUser, type CreatedUser } from '../support/sign-in-fixture';
import { testBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';
import { clientCredentials, jwtPayload, postAsClient } from '../support/token-requests';

const A = 'rs-a';
const B = 'rs-b';
const PASSWORD = 'correct horse battery staple';
const REDIRECT = 'http://127.0.0.1/cb';
/** Instance B's service tokens live 3 s, so the test can watch one expire. */
const B_TOKEN_LIFETIME_SEC = 3;
const JWKS_COOLDOWN_MS = 1_000;

interface ServiceAccount {
  clientId: string;
  clientSecret: string;
}

interface PrincipalBody {
  subject: string;
  clientId: string | null;
  scopes: string[];
  userKind: string;
  tokenType: string;
  audience: string[];
  expiresAt: string | null;
}

// Two gateways' worth of processes on a shared 2-core machine: generous, never a performance check.
jest.setTimeout(120_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`resource-server library and example API (${testBackends.postgresUrl ? 'Postgres' : 'PGlite'} + ${testBackends.redisUrl ? 'Redis' : 'in-process state'})`, () => {
  let gw: GatewayProcess;
  let apiA: ExampleApiProcess;
  let apiB: ExampleApiProcess;
  let dispose: (() => Promise<void>) | undefined;
  let alice: CreatedUser;
  let exporterA: ServiceAccount;
  let exporterB: ServiceAccount;
  let introspectorA: ServiceAccount;
  /** Every token the test handled: none may show up in any log. */
  const seenTokens = new Set<string>();

  const audience = (instance: string) => `${gw.origin(instance)}/api/domain`;
  const remember = (token: string): string => (seenTokens.add(token), token);

  async function userTokens(username: string, scope: string) {
    const tokens = await codeFlowTokens({
      issuer: gw.issuer(A),
      clientId: 'portal',
      clientSecret: portalSecret,
      redirectUri: REDIRECT,
      username,
      password: PASSWORD,
      scope,
    });
    for (const token of Object.values(tokens)) remember(token as string);
    return tokens;
  }

  async function serviceToken(instance: string, account: ServiceAccount, form: Record<string, string> = {}) {
    const res = await clientCredentials(gw.issuer(instance), account.clientId, account.clientSecret, {
      scope: 'read',
      ...form,
    });
    expect(res.status).toBe(200);
    return remember(res.body.access_token as string);
  }

  async function createServiceAccount(instance: string, name: string): Promise<ServiceAccount> {
    const res = await gw.admin<ServiceAccount>('POST', `/instances/${instance}/service-accounts`, {
      name,
      scopes: ['read'],
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function createIntrospector(instance: string): Promise<ServiceAccount> {
    const created = await createClient(gw, instance, {
      clientId: 'domain-api',
      grantTypes: ['client_credentials'],
      scopes: [],
      // The instance's API: only clients flagged for it may introspect.
      introspection: true,
    });
    return { clientId: created.clientId, clientSecret: created.clientSecret! };
  }

  let portalSecret = '';

  beforeAll(async () => {
    ({ gw, dispose } = await startTestGateways({ database: 'idgw_resource_server' }));
    expect((await gw.admin('POST', '/instances', { name: A })).status).toBe(201);
    expect(
      (
        await gw.admin('POST', '/instances', {
          name: B,
          policies: { tokenLifetimes: { clientCredentials: B_TOKEN_LIFETIME_SEC } },
        })
      ).status,
    ).toBe(201);
    alice = await createUser(gw, A, { username: 'alice', password: PASSWORD, kind: 'internal' });
    await createUser(gw, A, { username: 'bob', password: PASSWORD, kind: 'external' });
    const portal = await createClient(gw, A, {
      clientId: 'portal',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [REDIRECT],
      scopes: ['openid', 'profile', 'offline_access', 'read', 'update'],
    });
    portalSecret = portal.clientSecret!;
    exporterA = await createServiceAccount(A, 'exporter');
    exporterB = await createServiceAccount(B, 'exporter');
    introspectorA = await createIntrospector(A);
    const introspectorB = await createIntrospector(B);
    [apiA, apiB] = await Promise.all([
      ExampleApiProcess.start({
        issuer: gw.issuer(A),
        audience: audience(A),
        introspection: introspectorA,
        env: { JWKS_REFRESH_COOLDOWN_MS: String(JWKS_COOLDOWN_MS) },
      }),
      ExampleApiProcess.start({
        issuer: gw.issuer(B),
        audience: audience(B),
        introspection: introspectorB,
        env: { CLOCK_TOLERANCE_SEC: '0' },
      }),
    ]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([apiA?.stop(), apiB?.stop()]);
    await dispose?.();
  });

  describe('an internal user', () => {
    it('gets an API token through the code flow that the example API accepts, with its scopes', async () => {
      const { access_token: token } = await userTokens('alice', 'openid profile read update');
      expect(jwtPayload(token).aud).toBe(audience(A));

      const me = await apiA.request<PrincipalBody>('GET', '/api/domain/me', token);
      expect(me.status).toBe(200);
      expect(me.body).toEqual({
        subject: alice.id,
        clientId: 'portal',
        scopes: expect.arrayContaining(['read', 'update']),
        userKind: 'internal',
        tokenType: 'jwt',
        audience: [audience(A)],
        expiresAt: new Date(Number(jwtPayload(token).exp) * 1000).toISOString(),
      });
      const created = await apiA.request('POST', '/api/domain/items', token, { name: 'first order' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'first order', createdBy: alice.id });
      const listed = await apiA.request<{ items: unknown[] }>('GET', '/api/domain/items', token);
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([created.body]);
    });

    it('is refused a route whose scope the token lacks: 403 insufficient_scope naming the scope', async () => {
      const { access_token: token } = await userTokens('alice', 'openid read');
      expect((await apiA.request('GET', '/api/domain/items', token)).status).toBe(200);
      const refused = await apiA.request('POST', '/api/domain/items', token, { name: 'nope' });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: 'insufficient_scope' });
      expect(refused.wwwAuthenticate).toBe(
        `Bearer realm="${audience(A)}", error="insufficient_scope", scope="update"`,
      );
    });

    it('cannot use an ID token as an access token', async () => {
      const { id_token: idToken } = await userTokens('alice', 'openid profile read');
      const refused = await apiA.request('GET', '/api/domain/me', idToken);
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ error: 'invalid_token' });
      expect(refused.wwwAuthenticate).toMatch(
        /^Bearer realm="[^"]+", error="invalid_token", error_description="/,
      );
    });
  });

  describe('an external user', () => {
    it('gets no API token from the gateway, and nothing it holds opens the API', async () => {
      const tokens = await userTokens('bob', 'openid profile offline_access read update');
      // What the gateway handed out is not an API token…
      expect(tokens.access_token.includes('.') ? jwtPayload(tokens.access_token).aud : undefined).not.toBe(
        audience(A),
      );
      // …and asking for one explicitly is refused.
      const explicit = await postAsClient(`${gw.issuer(A)}/connect/token`, 'portal', portalSecret, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
        resource: audience(A),
      });
      expect(explicit.status).toBe(400);
      expect(explicit.body.error).toBe('invalid_target');
      for (const token of [tokens.access_token, tokens.id_token]) {
        const refused = await apiA.request('GET', '/api/domain/me', token);
        expect(refused.status).toBe(401);
        expect(refused.body).toMatchObject({ error: 'invalid_token' });
      }
    });
  });

  describe('a service account (client credentials)', () => {
    it('is accepted with its scopes and nothing more', async () => {
      const token = await serviceToken(A, exporterA);
      const me = await apiA.request<PrincipalBody>('GET', '/api/domain/me', token);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({
        subject: exporterA.clientId,
        clientId: exporterA.clientId,
        scopes: ['read'],
        userKind: 'service',
        tokenType: 'jwt',
      });
      expect((await apiA.request('GET', '/api/domain/items', token)).status).toBe(200);
      const write = await apiA.request('POST', '/api/domain/items', token, { name: 'x' });
      expect(write.status).toBe(403);
      expect(write.wwwAuthenticate).toContain('scope="update"');
    });

    it('gets a token for the Table API that the Domain API refuses', async () => {
      const token = await serviceToken(A, exporterA, { resource: `${gw.origin(A)}/api/table` });
      const refused = await apiA.request('GET', '/api/domain/items', token);
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({
        error: 'invalid_token',
        error_description: 'the access token is not for this API',
      });
    });
  });

  describe('instances', () => {
    it("refuses instance A's token at the API of instance B, which accepts B's own", async () => {
      const own = await serviceToken(B, exporterB);
      expect((await apiB.request('GET', '/api/domain/items', own)).status).toBe(200);
      for (const token of [
        await serviceToken(A, exporterA),
        (await userTokens('alice', 'openid read update')).access_token,
      ]) {
        const refused = await apiB.request('GET', '/api/domain/items', token);
        expect(refused.status).toBe(401);
        expect(refused.body).toMatchObject({ error: 'invalid_token' });
      }
    });
  });

  describe('bad tokens', () => {
    it('answers 401 with a challenge for no token, and 401 invalid_token for garbage, tampered or unknown ones', async () => {
      const none = await apiA.request('GET', '/api/domain/items');
      expect(none.status).toBe(401);
      // RFC 6750 §3.1: no error code when no credentials were sent.
      expect(none.wwwAuthenticate).toBe(`Bearer realm="${audience(A)}"`);

      const good = await serviceToken(A, exporterA);
      const [header, payload, signature] = good.split('.') as [string, string, string];
      const widened = Buffer.from(JSON.stringify({ ...jwtPayload(good), scope: 'read update' })).toString(
        'base64url',
      );
      const tampered = remember(`${header}.${widened}.${signature}`);
      const unknownReference = remember(`erp_pat_${'A'.repeat(43)}`);
      const opaque = remember('not-a-jwt-and-not-known-anywhere');
      for (const token of [tampered, unknownReference, opaque, `${header}.${payload}`]) {
        const refused = await apiA.request('POST', '/api/domain/items', token, { name: 'x' });
        expect(refused.status).toBe(401);
        expect(refused.body).toMatchObject({ error: 'invalid_token' });
        expect(refused.wwwAuthenticate).toContain('error="invalid_token"');
      }
    });

    it('refuses a token sent in the query string with 400 invalid_request', async () => {
      const token = await serviceToken(A, exporterA);
      const res = await apiA.request('GET', `/api/domain/items?access_token=${token}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_request' });
    });

    it('refuses an expired token (no leeway configured at API B)', async () => {
      const token = await serviceToken(B, exporterB);
      const exp = Number(jwtPayload(token).exp) * 1000;
      await sleep(Math.max(0, exp - Date.now()) + 1_100);
      const refused = await apiB.request('GET', '/api/domain/items', token);
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ error: 'invalid_token', error_description: 'the access token expired' });
    });
  });

  describe('key rotation', () => {
    it('accepts a token signed by a key the API has never seen (JWKS downloaded again for the unknown kid)', async () => {
      const before = await serviceToken(A, exporterA);
      expect((await apiA.request('GET', '/api/domain/items', before)).status).toBe(200);
      const rotated = await gw.admin<{ kid: string; alg: string }>('POST', `/instances/${A}/keys/rotate`, {
        algorithm: 'ES256',
      });
      expect(rotated.status).toBe(201);
      const after = await serviceToken(A, exporterA);
      const header = decodeProtectedHeader(after);
      expect(header.kid).not.toBe(decodeProtectedHeader(before).kid);
      expect(header.alg).toBe('ES256');
      // The API downloaded the key set at most once per cooldown; let the cooldown pass once.
      await sleep(JWKS_COOLDOWN_MS + 100);
      expect((await apiA.request('GET', '/api/domain/items', after)).status).toBe(200);
      // The retired key's tokens stay good until they expire.
      expect((await apiA.request('GET', '/api/domain/items', before)).status).toBe(200);
    });
  });

  describe('reference tokens (through introspection)', () => {
    interface IssuedToken {
      id: string;
      token: string;
    }

    async function issue(body: Record<string, unknown>): Promise<IssuedToken> {
      const res = await gw.admin<IssuedToken>('POST', `/instances/${A}/reference-tokens`, body);
      expect(res.status).toBe(201);
      remember(res.body.token);
      return res.body;
    }

    /** Revokes through the admin API and returns how long the API kept accepting the token. */
    async function revokeAndTimeRefusal(issued: IssuedToken): Promise<number> {
      expect((await gw.admin('DELETE', `/instances/${A}/reference-tokens/${issued.id}`)).status).toBe(204);
      const revokedAt = Date.now();
      for (;;) {
        const res = await apiA.request('GET', '/api/domain/items', issued.token);
        if (res.status === 401) {
          expect(res.body).toMatchObject({ error: 'invalid_token' });
          return Date.now() - revokedAt;
        }
        expect(res.status).toBe(200);
        if (Date.now() - revokedAt > 10_000) throw new Error('a revoked token was still accepted after 10 s');
        await sleep(50);
      }
    }

    it('accepts a personal access token with its scopes, and refuses it within a second of its revocation', async () => {
      const pat = await issue({ kind: 'personal', subject: alice.id, scopes: ['read'] });
      expect(pat.token).toMatch(/^erp_pat_/);
      const me = await apiA.request<PrincipalBody>('GET', '/api/domain/me', pat.token);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({
        subject: alice.id,
        scopes: ['read'],
        userKind: 'internal',
        tokenType: 'reference',
        // Held by the user, issued to no client.
        clientId: null,
      });
      expect((await apiA.request('POST', '/api/domain/items', pat.token, { name: 'x' })).status).toBe(403);
      // The library caches an introspection answer for at most a second.
      expect(await revokeAndTimeRefusal(pat)).toBeLessThan(1_500);
    });

    it("accepts a service access token with the account's scopes, and refuses it after its revocation", async () => {
      const account = await gw.admin<{ id: string }>('POST', `/instances/${A}/service-accounts`, {
        name: 'nightly-import',
        scopes: ['read', 'update'],
      });
      expect(account.status).toBe(201);
      const sat = await issue({ kind: 'service', subject: account.body.id, scopes: ['read', 'update'] });
      expect(sat.token).toMatch(/^erp_sat_/);
      const me = await apiA.request<PrincipalBody>('GET', '/api/domain/me', sat.token);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ userKind: 'service', tokenType: 'reference' });
      expect(me.body.scopes).toEqual(expect.arrayContaining(['read', 'update']));
      expect((await apiA.request('POST', '/api/domain/items', sat.token, { name: 'import' })).status).toBe(
        201,
      );
      expect(await revokeAndTimeRefusal(sat)).toBeLessThan(1_500);
    });

    it('refuses an expired personal access token', async () => {
      const pat = await issue({
        kind: 'personal',
        subject: alice.id,
        scopes: ['read'],
        expiresAt: new Date(Date.now() + 2_000).toISOString(),
      });
      expect((await apiA.request('GET', '/api/domain/items', pat.token)).status).toBe(200);
      await sleep(3_200);
      const refused = await apiA.request('GET', '/api/domain/items', pat.token);
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ error: 'invalid_token' });
    });

    it("is refused at instance B's API", async () => {
      const pat = await issue({ kind: 'personal', subject: alice.id, scopes: ['read'] });
      const refused = await apiB.request('GET', '/api/domain/items', pat.token);
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ error: 'invalid_token' });
    });
  });

  describe('introspection client against the real endpoint', () => {
    it('authenticates with client_secret_basic and reads an active JWT and an inactive unknown token', async () => {
      const options = resolveResourceServerOptions({
        issuer: gw.issuer(A),
        audience: audience(A),
        introspection: introspectorA,
        allowHttp: true,
        fetch: loopbackCustomFetch as unknown as (input: string, init?: RequestInit) => Promise<Response>,
      });
      const introspection = new IntrospectionClient(options, new IssuerMetadataSource(options));
      const token = await serviceToken(A, exporterA);
      expect(await introspection.introspect(token)).toMatchObject({
        active: true,
        iss: gw.issuer(A),
        client_id: exporterA.clientId,
        scope: 'read',
        aud: audience(A),
      });
      expect(await introspection.introspect(`erp_sat_${'B'.repeat(43)}`)).toEqual({ active: false });
    });
  });

  describe('logs', () => {
    it("contain none of the tokens, neither the API's nor the gateway's", () => {
      expect(seenTokens.size).toBeGreaterThan(10);
      const logs = { gateway: gw.output.join(''), apiA: apiA.output.join(''), apiB: apiB.output.join('') };
      // The APIs did log (a request line per call, and why tokens were refused).
      expect(logs.apiA).toContain('GET /api/domain/items 200');
      expect(logs.apiA).toContain('bearer token refused');
      for (const [name, text] of Object.entries(logs)) {
        for (const token of seenTokens) {
          // A signature (or a whole opaque token) is what would let someone replay it.
          const secretPart = token.split('.').pop()!;
          if (text.includes(secretPart)) throw new Error(`${name} log contains a token`);
        }
      }
    });
  });
});
