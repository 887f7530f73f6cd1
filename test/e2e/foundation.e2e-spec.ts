import { createRemoteJWKSet, customFetch, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { GatewayProcess } from '../support/gateway-process';
import { loopbackCustomFetch, loopbackFetch } from '../support/loopback-fetch';
import { client, discoverClient } from '../support/oidc-client';
import { testBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';

interface CreatedClient {
  clientId: string;
  clientSecret: string;
}

const json = async (
  res: Response | Awaited<ReturnType<typeof loopbackFetch>>,
): Promise<Record<string, unknown>> => (await res.json()) as Record<string, unknown>;

describe(`foundation (${testBackends.postgresUrl ? 'Postgres' : 'PGlite'} + ${testBackends.redisUrl ? 'Redis' : 'in-process state'})`, () => {
  let gw: GatewayProcess;
  let dispose: (() => Promise<void>) | undefined;
  let a: CreatedClient;
  let b: CreatedClient;

  const createClient = async (instance: string, clientId: string): Promise<CreatedClient> => {
    const res = await gw.admin<CreatedClient>('POST', `/instances/${instance}/clients`, {
      clientId,
      grantTypes: ['client_credentials'],
      scopes: ['read', 'update'],
      // These clients also stand in for the instance's APIs at the introspection endpoint.
      introspection: true,
    });
    expect(res.status).toBe(201);
    return res.body;
  };

  const token = (instance: string, body: string, headers: Record<string, string> = {}) =>
    loopbackFetch(`${gw.origin(instance)}/id/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });

  const remoteJwks = (instance: string) =>
    createRemoteJWKSet(new URL(`${gw.issuer(instance)}/.well-known/openid-configuration/jwks`), {
      [customFetch]: loopbackCustomFetch as unknown as typeof fetch,
    });

  const basic = (c: CreatedClient): string =>
    `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`;

  beforeAll(async () => {
    ({ gw, dispose } = await startTestGateways({ database: 'idgw_test' }));
    expect((await gw.admin('POST', '/instances', { name: 'alpha', displayName: 'Alpha Ltd' })).status).toBe(
      201,
    );
    expect((await gw.admin('POST', '/instances', { name: 'beta' })).status).toBe(201);
    // The same client id in two instances: each is its own client.
    a = await createClient('alpha', 'reporting');
    b = await createClient('beta', 'reporting');
  });

  afterAll(async () => {
    await dispose?.();
  });

  describe('admin API', () => {
    it('returns the instance with its issuer', async () => {
      const res = await gw.admin<Record<string, unknown>>('GET', '/instances/alpha');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: 'alpha',
        displayName: 'Alpha Ltd',
        status: 'active',
        issuer: gw.issuer('alpha'),
      });
    });

    it('refuses invalid and reserved names with 400 and duplicates with 409', async () => {
      for (const name of ['Bad_Name', '-lead', 'trail-', 'a'.repeat(64), '', 'www', 'admin']) {
        const res = await gw.admin<Record<string, unknown>>('POST', '/instances', { name });
        expect(res.status).toBe(400);
        expect(res.body).toHaveProperty('error', 'invalid_request');
        expect(typeof res.body.message).toBe('string');
      }
      const dup = await gw.admin<Record<string, unknown>>('POST', '/instances', { name: 'alpha' });
      expect(dup.status).toBe(409);
      expect(dup.body).toHaveProperty('error', 'conflict');
    });

    it('requires the admin token', async () => {
      expect((await gw.admin('GET', '/instances/alpha', undefined, '')).status).toBe(401);
      const wrong = await gw.admin<Record<string, unknown>>(
        'GET',
        '/instances/alpha',
        undefined,
        'not-the-token',
      );
      expect(wrong.status).toBe(401);
      expect(wrong.body).toHaveProperty('error', 'unauthorized');
    });

    it('shows a client secret only once and refuses a duplicate client id', async () => {
      expect(a.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const list = await gw.admin<{ items: Record<string, unknown>[] }>('GET', '/instances/alpha/clients');
      expect(list.status).toBe(200);
      expect(JSON.stringify(list.body)).not.toContain(a.clientSecret);
      expect(JSON.stringify(list.body)).not.toContain('argon2');
      const dup = await gw.admin('POST', '/instances/alpha/clients', {
        clientId: 'reporting',
        grantTypes: ['client_credentials'],
      });
      expect(dup.status).toBe(409);
    });

    it('refuses clients that break OAuth rules with 400', async () => {
      const cases = [
        { clientId: 'x1', grantTypes: ['client_credentials'], tokenEndpointAuthMethod: 'none' },
        { clientId: 'x2', grantTypes: ['authorization_code'] },
        { clientId: 'x3', grantTypes: ['authorization_code'], redirectUris: ['http://app.example.com/cb'] },
        { clientId: 'x4', grantTypes: ['implicit'] },
        { clientId: 'x4b', grantTypes: ['password'] },
        {
          clientId: 'x4c',
          grantTypes: ['implicit'],
          responseTypes: ['token'],
          redirectUris: ['http://localhost:9/cb'],
        },
        { clientId: 'x5', grantTypes: ['client_credentials'], clientSecret: 'short' },
        { clientId: 'x6', grantTypes: ['client_credentials'], unknownField: true },
      ];
      for (const body of cases) {
        const res = await gw.admin<Record<string, unknown>>('POST', '/instances/alpha/clients', body);
        expect(res.status).toBe(400);
        expect(res.body).toHaveProperty('error', 'invalid_request');
      }
    });
  });

  describe('discovery', () => {
    it.each(['alpha', 'beta'])('advertises the endpoints of %s under its own issuer', async (name) => {
      const res = await loopbackFetch(`${gw.origin(name)}/id/.well-known/openid-configuration`);
      expect(res.status).toBe(200);
      const doc = await json(res);
      const issuer = gw.issuer(name);
      expect(doc).toMatchObject({
        issuer,
        authorization_endpoint: `${issuer}/connect/authorize`,
        token_endpoint: `${issuer}/connect/token`,
        userinfo_endpoint: `${issuer}/connect/userinfo`,
        end_session_endpoint: `${issuer}/connect/endsession`,
        introspection_endpoint: `${issuer}/connect/introspect`,
        revocation_endpoint: `${issuer}/connect/revocation`,
        jwks_uri: `${issuer}/.well-known/openid-configuration/jwks`,
      });
      expect(doc.grant_types_supported).toEqual(
        expect.arrayContaining(['authorization_code', 'client_credentials', 'refresh_token']),
      );
      expect(doc.scopes_supported).toEqual(
        expect.arrayContaining(['openid', 'profile', 'offline_access', 'update']),
      );
      expect(doc.response_types_supported).toEqual(['code', 'id_token', 'code id_token', 'token']);
    });

    it('publishes a different JWKS per instance, public parts only', async () => {
      const jwks = async (name: string) =>
        (await json(await loopbackFetch(`${gw.issuer(name)}/.well-known/openid-configuration/jwks`)))
          .keys as Record<string, string>[];
      const [ka, kb] = [await jwks('alpha'), await jwks('beta')];
      expect(ka).toHaveLength(1);
      expect(kb).toHaveLength(1);
      expect(ka[0]!.kid).not.toEqual(kb[0]!.kid);
      expect(ka[0]!.n).not.toEqual(kb[0]!.n);
      for (const key of [...ka, ...kb]) {
        expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
        for (const privatePart of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
          expect(key).not.toHaveProperty(privatePart);
        expect(Buffer.from(key.n!, 'base64url').length * 8).toBe(2048);
      }
    });

    it('serves /sys/auto-discovery from the instance record', async () => {
      const res = await loopbackFetch(`${gw.origin('alpha')}/sys/auto-discovery`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        WebSites: [
          { Type: 'ID', Status: 'Working', Url: gw.issuer('alpha') },
          {
            Type: 'DomainAPI',
            Status: 'Working',
            Url: `${gw.origin('alpha')}/api`,
            AdditionalProperties: { ODataServiceRoot: `${gw.origin('alpha')}/api/domain/odata/` },
          },
        ],
      });
    });

    it('ignores X-Forwarded-* headers from an untrusted peer', async () => {
      const forged = { 'x-forwarded-host': 'evil.example.com', 'x-forwarded-proto': 'https' };
      const doc = await json(
        await loopbackFetch(`${gw.origin('alpha')}/id/.well-known/openid-configuration`, { headers: forged }),
      );
      expect(JSON.stringify(doc)).not.toContain('evil.example.com');
      expect(doc.token_endpoint).toBe(`${gw.issuer('alpha')}/connect/token`);
      const sites = await json(
        await loopbackFetch(`${gw.origin('alpha')}/sys/auto-discovery`, { headers: forged }),
      );
      expect(JSON.stringify(sites)).not.toContain('evil.example.com');
    });

    it('answers an unknown host with 404 JSON', async () => {
      for (const host of ['nosuch', 'www', 'x--']) {
        const res = await loopbackFetch(
          `http://${host}.localhost:${gw.port}/id/.well-known/openid-configuration`,
        );
        expect(res.status).toBe(404);
        expect(await json(res)).toMatchObject({ error: 'unknown_instance' });
      }
      const bare = await loopbackFetch(`http://localhost:${gw.port}/id/.well-known/openid-configuration`);
      expect(bare.status).toBe(404);
      // Not a host name at all: a bad request, still answered in JSON.
      const malformed = await loopbackFetch(`http://bad_label.localhost:${gw.port}/sys/auto-discovery`);
      expect(malformed.status).toBe(400);
      expect(await json(malformed)).toMatchObject({ error: 'invalid_request' });
    });

    it('keeps the admin API off the public listener', async () => {
      const res = await loopbackFetch(`${gw.origin('alpha')}/admin/v1/instances/alpha`, {
        headers: { authorization: `Bearer ${gw.adminToken}` },
      });
      expect(res.status).toBe(404);
    });
  });

  describe('client credentials', () => {
    it('issues a JWT access token that verifies against the instance JWKS (openid-client as RP)', async () => {
      const config = await discoverClient(gw.issuer('alpha'), a.clientId, a.clientSecret);
      const tokens = await client.clientCredentialsGrant(config, { scope: 'update' });
      expect(tokens.token_type.toLowerCase()).toBe('bearer');
      expect(tokens.refresh_token).toBeUndefined();
      expect(tokens.id_token).toBeUndefined();
      expect(tokens.scope).toBe('update');
      expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
      const jwks = remoteJwks('alpha');
      const { payload } = await jwtVerify(tokens.access_token, jwks, {
        issuer: gw.issuer('alpha'),
        audience: `${gw.origin('alpha')}/api/domain`,
      });
      expect(payload).toMatchObject({ client_id: a.clientId, sub: a.clientId, scope: 'update' });
      expect(typeof payload.jti).toBe('string');

      // The same token does not verify against the other instance's keys.
      await expect(jwtVerify(tokens.access_token, remoteJwks('beta'))).rejects.toThrow();

      // The instance's own introspection endpoint knows the token.
      const introspect = await loopbackFetch(`${gw.issuer('alpha')}/connect/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(a) },
        body: `token=${tokens.access_token}`,
      });
      expect(await json(introspect)).toMatchObject({
        active: true,
        iss: gw.issuer('alpha'),
        client_id: a.clientId,
        scope: 'update',
        token_type: 'access_token',
      });
    });

    it('accepts client_secret_post and refuses a scope the client was not given', async () => {
      const created = await gw.admin<CreatedClient>('POST', '/instances/alpha/clients', {
        clientId: 'poster',
        grantTypes: ['client_credentials'],
        scopes: ['read'],
        tokenEndpointAuthMethod: 'client_secret_post',
      });
      expect(created.status).toBe(201);
      const ok = await token(
        'alpha',
        `grant_type=client_credentials&scope=read&client_id=poster&client_secret=${encodeURIComponent(created.body.clientSecret)}`,
      );
      expect(ok.status).toBe(200);
      const refused = await token(
        'alpha',
        `grant_type=client_credentials&scope=update&client_id=poster&client_secret=${encodeURIComponent(created.body.clientSecret)}`,
      );
      expect(refused.status).toBe(400);
      expect(await json(refused)).toMatchObject({ error: 'invalid_scope' });
    });

    it('does not know instance A clients at instance B', async () => {
      const onlyAtAlpha = await gw.admin<CreatedClient>('POST', '/instances/alpha/clients', {
        clientId: 'alpha-only',
        grantTypes: ['client_credentials'],
      });
      // A client granted no scopes still gets a token without scopes at its own instance.
      const atAlpha = await token('alpha', 'grant_type=client_credentials', {
        authorization: basic(onlyAtAlpha.body),
      });
      expect(atAlpha.status).toBe(200);
      expect(await json(atAlpha)).not.toHaveProperty('scope');
      const atBeta = await token('beta', 'grant_type=client_credentials', {
        authorization: basic(onlyAtAlpha.body),
      });
      expect(atBeta.status).toBe(401);
      expect(await json(atBeta)).toMatchObject({ error: 'invalid_client' });
      // Same client id in both instances, but A's secret is not B's.
      const crossSecret = await token('beta', 'grant_type=client_credentials', { authorization: basic(a) });
      expect(crossSecret.status).toBe(401);
      const wrong = await token('alpha', 'grant_type=client_credentials', {
        authorization: basic({ clientId: a.clientId, clientSecret: 'x'.repeat(43) }),
      });
      expect(wrong.status).toBe(401);
    });

    it("rejects instance A's token at B's introspection and userinfo", async () => {
      const res = await token('alpha', 'grant_type=client_credentials&scope=read', {
        authorization: basic(a),
      });
      const { access_token: accessToken } = (await json(res)) as { access_token: string };
      expect(decodeJwt(accessToken).iss).toBe(gw.issuer('alpha'));

      const introspect = await loopbackFetch(`${gw.issuer('beta')}/connect/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(b) },
        body: `token=${accessToken}`,
      });
      expect(introspect.status).toBe(200);
      expect(await json(introspect)).toEqual({ active: false });

      const userinfo = await loopbackFetch(`${gw.issuer('beta')}/connect/userinfo`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(userinfo.status).toBe(401);
      expect(userinfo.headers.get('www-authenticate')).toContain('invalid_token');
    });
  });

  describe('bad input gets a 4xx with an error body', () => {
    const expectClientError = async (
      res: Awaited<ReturnType<typeof loopbackFetch>>,
    ): Promise<Record<string, unknown>> => {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const body = await json(res);
      expect(typeof body.error).toBe('string');
      return body;
    };

    it('token endpoint', async () => {
      await expectClientError(await token('alpha', '', { authorization: basic(a) }));
      await expectClientError(
        await token('alpha', 'grant_type=password&username=x&password=y', { authorization: basic(a) }),
      );
      await expectClientError(
        await token('alpha', 'grant_type=client_credentials&resource=https://elsewhere.example/api', {
          authorization: basic(a),
        }),
      );
      await expectClientError(await token('alpha', '%%%garbage=&&&', { authorization: basic(a) }));
      await expectClientError(
        await token('alpha', 'grant_type=client_credentials', { authorization: 'Basic !!!notbase64' }),
      );
      await expectClientError(
        await loopbackFetch(`${gw.issuer('alpha')}/connect/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: basic(a) },
          body: '{"grant_type":"client_credentials"}',
        }),
      );
      await expectClientError(
        await token('alpha', `grant_type=client_credentials&scope=${'a'.repeat(2_000_000)}`, {
          authorization: basic(a),
        }),
      );
      await expectClientError(await loopbackFetch(`${gw.issuer('alpha')}/connect/token`));
    });

    it('admin API', async () => {
      const raw = (body: string, contentType = 'application/json') =>
        loopbackFetch(`http://127.0.0.1:${gw.adminPort}/admin/v1/instances`, {
          method: 'POST',
          headers: { authorization: `Bearer ${gw.adminToken}`, 'content-type': contentType },
          body,
        });
      await expectClientError(await raw('{"name": '));
      await expectClientError(await raw('[]'));
      await expectClientError(await raw('"just a string"'));
      await expectClientError(await raw('name=x', 'application/x-www-form-urlencoded'));
      await expectClientError(await raw(JSON.stringify({ name: 'x'.repeat(200_000) })));
      await expectClientError(await raw(JSON.stringify({ displayName: 'no name' })));
      const notFound = await gw.admin('GET', '/instances/does-not-exist');
      expect(notFound.status).toBe(404);
      const badName = await gw.admin('GET', '/instances/..%2F..%2Fetc');
      expect(badName.status).toBe(404);
    });

    it('authorization endpoint with missing or bad parameters', async () => {
      const res = await loopbackFetch(
        `${gw.issuer('alpha')}/connect/authorize?client_id=nosuch&response_type=code`,
        {
          headers: { accept: 'application/json' },
        },
      );
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    });
  });

  describe('lifecycle', () => {
    it('serves nothing for a deleted instance', async () => {
      expect((await gw.admin('POST', '/instances', { name: 'gamma' })).status).toBe(201);
      expect((await loopbackFetch(`${gw.origin('gamma')}/id/.well-known/openid-configuration`)).status).toBe(
        200,
      );
      expect((await gw.admin('DELETE', '/instances/gamma')).status).toBe(204);
      const res = await loopbackFetch(`${gw.origin('gamma')}/id/.well-known/openid-configuration`);
      expect(res.status).toBe(404);
      expect(await json(res)).toMatchObject({ error: 'unknown_instance' });
      expect((await gw.admin('GET', '/instances/gamma')).status).toBe(404);
      expect((await gw.admin('DELETE', '/instances/gamma')).status).toBe(404);
    });

    it('keeps instances, clients and keys across a restart', async () => {
      const jwksBefore = await json(
        await loopbackFetch(`${gw.issuer('alpha')}/.well-known/openid-configuration/jwks`),
      );
      await gw.restart();
      const jwksAfter = await json(
        await loopbackFetch(`${gw.issuer('alpha')}/.well-known/openid-configuration/jwks`),
      );
      expect(jwksAfter).toEqual(jwksBefore);
      const res = await token('alpha', 'grant_type=client_credentials&scope=update', {
        authorization: basic(a),
      });
      expect(res.status).toBe(200);
      expect((await gw.admin('GET', '/instances/beta')).status).toBe(200);
    });
  });
});
