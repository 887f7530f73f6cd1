import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
} from 'jose';
import { codeFlowTokens } from '../support/code-flow';
import type { GatewayProcess } from '../support/gateway-process';
import { loopbackFetch } from '../support/loopback-fetch';
import { testBackends, usingSharedBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';

interface KeyView {
  kid: string;
  alg: string;
  state: 'next' | 'active' | 'retired';
  createdAt: string;
  activatedAt: string | null;
  retiredAt: string | null;
}

interface Credentials {
  clientId: string;
  clientSecret: string;
}

const INSTANCE = 'keyring';
const PASSWORD = 'correct-horse-battery-staple-7';
const REDIRECT_URI = 'http://127.0.0.1:9/cb';
const CLI = resolve(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');
const runCli = promisify(execFile);
const backend = `${testBackends.postgresUrl ? 'Postgres' : 'PGlite'} + ${testBackends.redisUrl ? 'Redis' : 'in-process state'}`;

const basic = (c: Credentials): string =>
  `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`;

describe(`signing keys (${backend})`, () => {
  let gw: GatewayProcess;
  let databaseUrl: string | undefined;
  let dispose: (() => Promise<void>) | undefined;
  let service: Credentials;
  let web: Credentials;

  const keys = async (): Promise<KeyView[]> => {
    const res = await gw.admin<{ items: KeyView[] }>('GET', `/instances/${INSTANCE}/keys`);
    expect(res.status).toBe(200);
    return res.body.items;
  };

  const change = async (path: 'rotate' | 'next', body?: unknown): Promise<KeyView> => {
    const res = await gw.admin<KeyView>('POST', `/instances/${INSTANCE}/keys/${path}`, body);
    expect(res.status).toBe(201);
    return res.body;
  };

  const jwks = async (): Promise<JSONWebKeySet> => {
    const res = await loopbackFetch(`${gw.issuer(INSTANCE)}/.well-known/openid-configuration/jwks`);
    expect(res.status).toBe(200);
    return (await res.json()) as JSONWebKeySet;
  };

  const accessToken = async (): Promise<string> => {
    const res = await loopbackFetch(`${gw.issuer(INSTANCE)}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(service) },
      body: 'grant_type=client_credentials&scope=read',
    });
    const body = (await res.json()) as { access_token?: string };
    expect(res.status).toBe(200);
    return body.access_token!;
  };

  const idToken = async (): Promise<string> =>
    (
      await codeFlowTokens({
        issuer: gw.issuer(INSTANCE),
        ...web,
        redirectUri: REDIRECT_URI,
        username: 'ida',
        password: PASSWORD,
      })
    ).id_token;

  /** Verifies a token the way a relying party does: against the JWKS as published now. */
  const verify = async (token: string, audience: string): Promise<JWTPayload> =>
    (
      await jwtVerify(token, createLocalJWKSet(await jwks()), {
        issuer: gw.issuer(INSTANCE),
        audience,
      })
    ).payload;

  const introspect = async (token: string): Promise<Record<string, unknown>> => {
    const res = await loopbackFetch(`${gw.issuer(INSTANCE)}/connect/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(service) },
      body: `token=${token}`,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };

  const api = (): string => `${gw.origin(INSTANCE)}/api/domain`;
  const kidOf = (token: string): string | undefined => decodeProtectedHeader(token).kid;
  const algOf = (token: string): string | undefined => decodeProtectedHeader(token).alg;

  beforeAll(async () => {
    const started = await startTestGateways({ database: 'idgw_keys' });
    ({ gw, dispose } = started);
    databaseUrl = started.options.databaseUrl;
    expect((await gw.admin('POST', '/instances', { name: INSTANCE })).status).toBe(201);
    const created = await gw.admin<Credentials>('POST', `/instances/${INSTANCE}/clients`, {
      clientId: 'service',
      grantTypes: ['client_credentials'],
      scopes: ['read'],
      introspection: true,
    });
    expect(created.status).toBe(201);
    service = created.body;
    const webapp = await gw.admin<Credentials>('POST', `/instances/${INSTANCE}/clients`, {
      clientId: 'web',
      grantTypes: ['authorization_code'],
      redirectUris: [REDIRECT_URI],
      scopes: ['openid', 'profile'],
    });
    expect(webapp.status).toBe(201);
    web = webapp.body;
    const user = await gw.admin('POST', `/instances/${INSTANCE}/users`, {
      username: 'ida',
      password: PASSWORD,
      kind: 'internal',
    });
    expect(user.status).toBe(201);
  });

  afterAll(async () => {
    await dispose?.();
  });

  describe('admin API', () => {
    it('lists the one active key of a new instance, never key material', async () => {
      const res = await gw.admin<{ items: KeyView[] }>('GET', `/instances/${INSTANCE}/keys`);
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
      const [key] = res.body.items;
      expect(Object.keys(key!).sort()).toEqual([
        'activatedAt',
        'alg',
        'createdAt',
        'kid',
        'retiredAt',
        'state',
      ]);
      expect(key).toMatchObject({ alg: 'RS256', state: 'active', retiredAt: null });
      expect(Date.parse(key!.createdAt)).not.toBeNaN();
      expect(Date.parse(key!.activatedAt!)).not.toBeNaN();
      expect((await jwks()).keys.map((k) => k.kid)).toEqual([key!.kid]);
    });

    it('requires the admin token', async () => {
      for (const token of ['', 'not-the-token']) {
        const list = await gw.admin<Record<string, unknown>>(
          'GET',
          `/instances/${INSTANCE}/keys`,
          undefined,
          token,
        );
        expect(list.status).toBe(401);
        expect(list.body).toHaveProperty('error', 'unauthorized');
        for (const path of ['rotate', 'next']) {
          const res = await gw.admin('POST', `/instances/${INSTANCE}/keys/${path}`, {}, token);
          expect(res.status).toBe(401);
        }
      }
    });

    it('answers 404 for an unknown instance', async () => {
      for (const [method, path] of [
        ['GET', '/instances/nosuch/keys'],
        ['POST', '/instances/nosuch/keys/rotate'],
        ['POST', '/instances/nosuch/keys/next'],
      ] as const) {
        const res = await gw.admin<Record<string, unknown>>(method, path);
        expect(res.status).toBe(404);
        expect(res.body).toHaveProperty('error', 'not_found');
      }
    });

    it('refuses a bad algorithm or body with 400 and changes nothing', async () => {
      const before = await keys();
      for (const body of [
        { algorithm: 'HS256' },
        { algorithm: 'none' },
        { algorithm: 42 },
        { alg: 'ES256' },
        [],
      ]) {
        for (const path of ['rotate', 'next']) {
          const res = await gw.admin<Record<string, unknown>>(
            'POST',
            `/instances/${INSTANCE}/keys/${path}`,
            body,
          );
          expect(res.status).toBe(400);
          expect(res.body).toHaveProperty('error', 'invalid_request');
        }
      }
      expect(await keys()).toEqual(before);
    });
  });

  describe('rotation', () => {
    it('signs with the new key at once and keeps tokens from before valid', async () => {
      const [old] = await keys();
      const before = await accessToken();
      expect(kidOf(before)).toBe(old!.kid);

      const rotated = await change('rotate');
      expect(rotated).toMatchObject({ alg: 'RS256', state: 'active', retiredAt: null });
      expect(rotated.kid).not.toBe(old!.kid);

      const after = await accessToken();
      expect(kidOf(after)).toBe(rotated.kid);
      expect((await jwks()).keys.map((k) => k.kid)).toEqual([rotated.kid, old!.kid]);
      // The earlier token still verifies against the published JWKS and introspects as active.
      expect(await verify(before, api())).toMatchObject({ client_id: 'service' });
      expect(await introspect(before)).toMatchObject({ active: true, client_id: 'service' });
      expect(await introspect(after)).toMatchObject({ active: true, client_id: 'service' });

      const listed = await keys();
      expect(listed.map((k) => [k.kid, k.state])).toEqual([
        [rotated.kid, 'active'],
        [old!.kid, 'retired'],
      ]);
      expect(Date.parse(listed[1]!.retiredAt!)).toBeGreaterThanOrEqual(Date.parse(listed[1]!.activatedAt!));
    });

    it('publishes a next key that signs nothing until the rotation that promotes it', async () => {
      const [active] = await keys();
      const next = await change('next');
      expect(next).toMatchObject({ state: 'next', alg: 'RS256', activatedAt: null, retiredAt: null });
      expect((await jwks()).keys.map((k) => k.kid)).toContain(next.kid);

      // Next, active and retired keys of one algorithm are all published: only the active one signs,
      // ID tokens (which oidc-provider signs with the first matching key) included.
      const id = await idToken();
      expect(kidOf(id)).toBe(active!.kid);
      expect(await verify(id, web.clientId)).toMatchObject({ aud: web.clientId });
      expect(kidOf(await accessToken())).toBe(active!.kid);

      const rotated = await change('rotate');
      expect(rotated.kid).toBe(next.kid);
      expect(kidOf(await idToken())).toBe(next.kid);
      expect(kidOf(await accessToken())).toBe(next.kid);
      expect((await keys()).map((k) => k.state)).toEqual(['active', 'retired', 'retired']);
    });

    it.each(['ES256', 'EdDSA', 'PS256'] as const)(
      'rotates to %s on request: tokens use it and verify against the JWKS',
      async (algorithm) => {
        const before = await accessToken();
        const rotated = await change('rotate', { algorithm });
        expect(rotated).toMatchObject({ alg: algorithm, state: 'active' });

        const access = await accessToken();
        expect(decodeProtectedHeader(access)).toMatchObject({
          alg: algorithm,
          kid: rotated.kid,
          typ: 'at+jwt',
        });
        expect(await verify(access, api())).toMatchObject({ client_id: 'service', scope: 'read' });
        const id = await idToken();
        expect(decodeProtectedHeader(id)).toMatchObject({ alg: algorithm, kid: rotated.kid });
        expect(await verify(id, web.clientId)).toMatchObject({ aud: web.clientId });
        expect(await introspect(access)).toMatchObject({ active: true });
        // The token of the previous key (another algorithm) still verifies.
        expect(await verify(before, api())).toMatchObject({ client_id: 'service' });
        expect(await introspect(before)).toMatchObject({ active: true });
      },
    );

    it("goes back to the policy's algorithm (RS256) on a rotation without one", async () => {
      expect(algOf(await accessToken())).toBe('PS256');
      const res = await gw.admin<KeyView>('POST', `/instances/${INSTANCE}/keys/rotate`);
      expect(res.status).toBe(201);
      expect(res.body.alg).toBe('RS256');
      expect(algOf(await accessToken())).toBe('RS256');
      expect(algOf(await idToken())).toBe('RS256');
    });
    it("keeps signing with the active key's algorithm after the policy changes, until a rotation", async () => {
      const patched = await gw.admin('PATCH', `/instances/${INSTANCE}/policies`, {
        signingAlgorithm: 'ES256',
      });
      expect(patched.status).toBe(200);
      // The issuer was rebuilt for the new policy, but there is no ES256 key yet: the RS256 key signs.
      expect(algOf(await accessToken())).toBe('RS256');
      expect(algOf(await idToken())).toBe('RS256');
      const rotated = await change('rotate');
      expect(rotated.alg).toBe('ES256');
      const access = await accessToken();
      expect(decodeProtectedHeader(access)).toMatchObject({ alg: 'ES256', kid: rotated.kid });
      expect(await verify(access, api())).toMatchObject({ client_id: 'service' });
      expect(algOf(await idToken())).toBe('ES256');
    });
  });

  describe('CLI', () => {
    const cli = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        DATA_DIR: gw.dataDir,
        // The gateway's key-encryption key (see GatewayProcess): the CLI seals keys the gateway opens.
        KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      };
      try {
        const { stdout, stderr } = await runCli(process.execPath, [CLI, ...args], { env });
        return { code: 0, stdout, stderr };
      } catch (err) {
        const e = err as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    };

    it('lists and rotates keys; the gateway signs with the key the CLI made', async () => {
      // The embedded database belongs to one process: the CLI works while the gateway is stopped.
      await gw.stop();
      let rotatedKid = '';
      try {
        const listed = await cli('keys', 'list', INSTANCE, '--json');
        expect(listed.code).toBe(0);
        const items = (JSON.parse(listed.stdout) as { items: KeyView[] }).items;
        expect(items[0]).toMatchObject({ state: 'active', alg: 'ES256' });
        expect(listed.stdout).not.toMatch(/"(d|p|q|privateJwk)"/);

        const result = await cli('keys', 'rotate', INSTANCE, '--algorithm', 'EdDSA', '--json');
        expect(result.code).toBe(0);
        const rotated = JSON.parse(result.stdout) as KeyView;
        expect(rotated).toMatchObject({ state: 'active', alg: 'EdDSA' });
        rotatedKid = rotated.kid;

        const human = await cli('keys', 'list', INSTANCE);
        expect(human.code).toBe(0);
        expect(human.stdout.split('\n')[0]).toMatch(new RegExp(`^active\\s+EdDSA\\s+${rotated.kid}`));

        const unknown = await cli('keys', 'rotate', 'nosuch');
        expect(unknown.code).toBe(1);
        expect(unknown.stderr).toContain('does not exist');
        const badAlg = await cli('keys', 'rotate', INSTANCE, '--algorithm', 'HS256');
        expect(badAlg.code).toBe(1);
      } finally {
        await gw.spawn();
      }
      const token = await accessToken();
      expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'EdDSA', kid: rotatedKid });
      expect(await verify(token, api())).toMatchObject({ client_id: 'service' });
    });
  });
});

// Two replicas need shared Postgres and Redis; without them one embedded process plays both parts,
// which still shows a rotation reaching past every cache at once (as replicas.e2e-spec.ts does).
const shared = usingSharedBackends();

describe(shared ? 'key rotation across two replicas' : 'key rotation in one embedded process', () => {
  let one: GatewayProcess;
  let two: GatewayProcess;
  let dispose: (() => Promise<void>) | undefined;

  const kids = async (gw: GatewayProcess): Promise<string[]> => {
    const res = await loopbackFetch(`${gw.issuer('spread')}/.well-known/openid-configuration/jwks`);
    return ((await res.json()) as JSONWebKeySet).keys.map((k) => k.kid ?? '');
  };

  beforeAll(async () => {
    const started = await startTestGateways({ database: 'idgw_keys_replicas', replicas: 2 });
    [one, two = one] = started.gateways;
    dispose = started.dispose;
  });

  afterAll(async () => {
    await dispose?.();
  });

  it("shows a rotation through one replica in the other's JWKS within a second", async () => {
    expect((await one.admin('POST', '/instances', { name: 'spread' })).status).toBe(201);
    // The other replica has built its issuer (and cached its JWKS) before the rotation.
    const [original] = await kids(two);
    const rotated = await one.admin<KeyView>('POST', '/instances/spread/keys/rotate');
    expect(rotated.status).toBe(201);
    const started = Date.now();
    let seen: string[] = [];
    while (Date.now() - started < 1000) {
      seen = await kids(two);
      if (seen[0] === rotated.body.kid) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen).toEqual([rotated.body.kid, original]);
  });
});
