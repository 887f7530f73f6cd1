import type { GatewayProcess } from '../support/gateway-process';
import { loopbackFetch } from '../support/loopback-fetch';
import { testBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';

interface ErrorBody {
  error: string;
  message: string;
  details?: { field: string; message: string }[];
}

interface InstanceBody {
  name: string;
  displayName: string | null;
  status: string;
  version: number;
  issuer: string;
  sites: unknown;
  customDomains: string[];
  policies: {
    tokenLifetimes: Record<string, number>;
    lockout: Record<string, number>;
    mfa: { required: string };
    allowedSignInIpRanges: string[];
  };
}

interface ListBody {
  items: InstanceBody[];
  total: number;
  limit: number;
  offset: number;
}

const ACME_DOMAIN = 'login.acme-corp.test';

describe(`instances admin API (${testBackends.postgresUrl ? 'Postgres' : 'PGlite'} + ${testBackends.redisUrl ? 'Redis' : 'in-process state'})`, () => {
  let gw: GatewayProcess;
  let dispose: (() => Promise<void>) | undefined;

  /** `http://<host>:<port>`: any host name reaches the gateway through the loopback agent. */
  const at = (host: string): string => `http://${host}:${gw.port}`;

  const get = async (url: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await loopbackFetch(url);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const discoveryAt = (host: string) => get(`${at(host)}/id/.well-known/openid-configuration`);

  const clientCredentials = (host: string, clientId: string, secret: string) =>
    loopbackFetch(`${at(host)}/id/connect/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });

  const create = (body: unknown) => gw.admin<InstanceBody & ErrorBody>('POST', '/instances', body);

  const expectError = (
    res: { status: number; body: unknown },
    status: number,
    error: string,
    field?: string,
  ): void => {
    expect(res.status).toBe(status);
    const body = res.body as ErrorBody;
    expect(body.error).toBe(error);
    expect(typeof body.message).toBe('string');
    if (field !== undefined) expect(body.details?.map((d) => d.field)).toContain(field);
  };

  beforeAll(async () => {
    ({ gw, dispose } = await startTestGateways({ database: 'idgw_instances' }));
  });

  afterAll(async () => {
    await dispose?.();
  });

  describe('POST /instances', () => {
    it('creates an instance with display name, sites, custom domains and policies', async () => {
      const res = await create({
        name: 'acme',
        displayName: 'Acme Corp',
        sites: [
          {
            type: 'DomainAPI',
            url: '/api',
            additionalProperties: { ODataServiceRoot: '/api/domain/odata/' },
          },
          { type: 'Portal', url: 'https://portal.acme-corp.test/', status: 'Maintenance' },
        ],
        customDomains: ['Login.Acme-Corp.test.'],
        policies: { tokenLifetimes: { accessToken: 900 }, mfa: { required: 'internal' } },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: 'acme',
        displayName: 'Acme Corp',
        status: 'active',
        version: 1,
        issuer: gw.issuer('acme'),
        customDomains: [ACME_DOMAIN],
        sites: [
          { type: 'DomainAPI', url: '/api' },
          { type: 'Portal', url: 'https://portal.acme-corp.test/', status: 'Maintenance' },
        ],
      });
      expect(res.body.policies.tokenLifetimes).toMatchObject({ accessToken: 900, clientCredentials: 3600 });
      expect(res.body.policies.mfa).toEqual({ required: 'internal' });

      const auto = await get(`${gw.origin('acme')}/sys/auto-discovery`);
      expect(auto.body.WebSites).toEqual([
        { Type: 'ID', Status: 'Working', Url: gw.issuer('acme') },
        {
          Type: 'DomainAPI',
          Status: 'Working',
          Url: `${gw.origin('acme')}/api`,
          AdditionalProperties: { ODataServiceRoot: `${gw.origin('acme')}/api/domain/odata/` },
        },
        { Type: 'Portal', Status: 'Maintenance', Url: 'https://portal.acme-corp.test/' },
      ]);
    });

    it.each<[string, unknown, string | undefined]>([
      ['a body that is not JSON', '{"name":', undefined],
      ['a body that is not an object', ['acme'], undefined],
      ['an unknown field', { name: 'x1', colour: 'blue' }, ''],
      ['an invalid name', { name: 'Bad_Name' }, 'name'],
      ['a reserved name', { name: 'www' }, 'name'],
      ['an empty display name', { name: 'x1', displayName: ' ' }, 'displayName'],
      [
        'a site URL that is neither absolute nor a path',
        { name: 'x1', sites: [{ type: 'Portal', url: 'portal' }] },
        'sites.0.url',
      ],
      [
        'a protocol-relative site URL',
        { name: 'x1', sites: [{ type: 'Portal', url: '//evil.test/' }] },
        'sites.0.url',
      ],
      [
        'a site registered as the ID site',
        { name: 'x1', sites: [{ type: 'ID', url: '/id' }] },
        'sites.0.type',
      ],
      ['a site without a type', { name: 'x1', sites: [{ url: '/api' }] }, 'sites.0.type'],
      [
        'a custom domain that is not a DNS name',
        { name: 'x1', customDomains: ['not a domain'] },
        'customDomains.0',
      ],
      ['an IP address as custom domain', { name: 'x1', customDomains: ['10.0.0.1'] }, 'customDomains.0'],
      [
        'a custom domain under the base domain',
        { name: 'x1', customDomains: ['x1.localhost'] },
        'customDomains.0',
      ],
      ['policies that are not an object', { name: 'x1', policies: ['mfa'] }, 'policies'],
    ])('answers 400 for %s', async (_label, body, field) => {
      const res = await gw.admin<ErrorBody>('POST', '/instances', body);
      expectError(res, 400, 'invalid_request', field);
      expect((await gw.admin('GET', '/instances/x1')).status).toBe(404);
    });

    it('answers 401 without a valid admin token', async () => {
      expectError(await gw.admin('POST', '/instances', { name: 'x2' }, ''), 401, 'unauthorized');
      expectError(await gw.admin('POST', '/instances', { name: 'x2' }, 'wrong-token'), 401, 'unauthorized');
      expect((await gw.admin('GET', '/instances/x2')).status).toBe(404);
    });

    it('answers 409 for a duplicate name and for a custom domain another instance owns', async () => {
      expectError(await create({ name: 'acme' }), 409, 'conflict');
      const taken = await create({ name: 'rival', customDomains: ['other.rival.test', ACME_DOMAIN] });
      expectError(taken, 409, 'conflict');
      expect(taken.body.message).toContain(ACME_DOMAIN);
      // Refused as a whole: neither the instance nor its other domain was kept.
      expect((await gw.admin('GET', '/instances/rival')).status).toBe(404);
      expect((await discoveryAt('other.rival.test')).status).toBe(404);
    });

    it('answers 422 naming each invalid or unknown policy field, and creates nothing', async () => {
      const invalid = await create({
        name: 'x3',
        policies: { tokenLifetimes: { accessToken: -5 }, lockout: { maxAttempts: 'five' } },
      });
      expectError(invalid, 422, 'invalid_policy', 'policies.tokenLifetimes.accessToken');
      expect(invalid.body.details?.map((d) => d.field)).toContain('policies.lockout.maxAttempts');

      const unknown = await create({
        name: 'x3',
        policies: { tokenLifetimes: { accesToken: 60 }, theme: 'dark' },
      });
      expectError(unknown, 422, 'invalid_policy');
      expect(unknown.body.details).toEqual(
        expect.arrayContaining([
          { field: 'policies.tokenLifetimes.accesToken', message: 'unknown policy field' },
          { field: 'policies.theme', message: 'unknown policy field' },
        ]),
      );
      expect((await gw.admin('GET', '/instances/x3')).status).toBe(404);
    });
  });

  describe('GET /instances/{name}', () => {
    it('answers the instance with its custom domains', async () => {
      const res = await gw.admin<InstanceBody>('GET', '/instances/acme');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'acme', customDomains: [ACME_DOMAIN] });
    });

    it('answers 404 for an unknown or impossible name, and 401 without the token', async () => {
      expectError(await gw.admin('GET', '/instances/nobody'), 404, 'not_found');
      expectError(await gw.admin('GET', '/instances/Not_A_Name'), 404, 'not_found');
      expectError(await gw.admin('GET', '/instances/acme', undefined, ''), 401, 'unauthorized');
    });
  });

  describe('GET /instances', () => {
    beforeAll(async () => {
      for (const name of ['list-a', 'list-b', 'list-c', 'list-d']) {
        expect((await create({ name })).status).toBe(201);
      }
      for (const name of ['list-b', 'list-d']) {
        expect((await gw.admin('PATCH', `/instances/${name}`, { status: 'suspended' })).status).toBe(200);
      }
    });

    afterAll(async () => {
      for (const name of ['list-a', 'list-b', 'list-c', 'list-d'])
        await gw.admin('DELETE', `/instances/${name}`);
    });

    it('pages through every instance by name', async () => {
      const all = await gw.admin<ListBody>('GET', '/instances');
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ limit: 50, offset: 0 });
      const names = all.body.items.map((i) => i.name);
      expect(names).toEqual([...names].sort());
      expect(names).toEqual(expect.arrayContaining(['acme', 'list-a', 'list-b', 'list-c', 'list-d']));
      expect(all.body.total).toBe(names.length);

      const pages: string[] = [];
      for (let offset = 0; offset < all.body.total; offset += 2) {
        const page = await gw.admin<ListBody>('GET', `/instances?limit=2&offset=${offset}`);
        expect(page.body).toMatchObject({ limit: 2, offset, total: all.body.total });
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        pages.push(...page.body.items.map((i) => i.name));
      }
      expect(pages).toEqual(names);
      const beyond = await gw.admin<ListBody>('GET', `/instances?offset=${all.body.total}`);
      expect(beyond.body.items).toEqual([]);
    });

    it('filters by status', async () => {
      const suspended = await gw.admin<ListBody>('GET', '/instances?status=suspended');
      expect(suspended.status).toBe(200);
      expect(suspended.body.items.map((i) => i.name)).toEqual(['list-b', 'list-d']);
      expect(suspended.body.total).toBe(2);
      const active = await gw.admin<ListBody>('GET', '/instances?status=active&limit=1&offset=1');
      expect(active.body.items).toHaveLength(1);
      expect(active.body.items[0]!.status).toBe('active');
      expect(active.body.items[0]!.name).toBe('list-a');
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=ten', 'limit'],
      ['offset=-1', 'offset'],
      ['status=deleted', 'status'],
      ['status=active&status=suspended', 'status'],
      ['sort=name', ''],
    ])('answers 400 for ?%s', async (query, field) => {
      expectError(await gw.admin('GET', `/instances?${query}`), 400, 'invalid_request', field);
    });

    it('answers 401 without the token', async () => {
      expectError(await gw.admin('GET', '/instances', undefined, ''), 401, 'unauthorized');
    });
  });

  describe('PATCH /instances/{name}', () => {
    beforeAll(async () => {
      expect((await create({ name: 'patchy' })).status).toBe(201);
    });

    it('changes each field, bumping the version every time', async () => {
      let version = (await gw.admin<InstanceBody>('GET', '/instances/patchy')).body.version;
      const patches: [Record<string, unknown>, Partial<InstanceBody>][] = [
        [{ displayName: 'Patchy Ltd' }, { displayName: 'Patchy Ltd' }],
        [{ sites: [{ type: 'Shop', url: '/shop' }] }, { sites: [{ type: 'Shop', url: '/shop' }] }],
        [
          { customDomains: ['id.patchy.test', 'www.patchy.test'] },
          { customDomains: ['id.patchy.test', 'www.patchy.test'] },
        ],
        [{ status: 'suspended' }, { status: 'suspended' }],
        [
          { status: 'active', displayName: null, sites: null },
          { status: 'active', displayName: null, sites: null },
        ],
      ];
      for (const [patch, expected] of patches) {
        const res = await gw.admin<InstanceBody>('PATCH', '/instances/patchy', patch);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject(expected);
        expect(res.body.version).toBe(version + 1);
        version = res.body.version;
      }
    });

    it('serves the new sites at once', async () => {
      await gw.admin('PATCH', '/instances/patchy', { sites: [{ type: 'Shop', url: '/shop' }] });
      const auto = await get(`${gw.origin('patchy')}/sys/auto-discovery`);
      expect(auto.body.WebSites).toEqual([
        { Type: 'ID', Status: 'Working', Url: gw.issuer('patchy') },
        { Type: 'Shop', Status: 'Working', Url: `${gw.origin('patchy')}/shop` },
      ]);
    });

    it('merges policies into the stored ones, and null resets a field to its default', async () => {
      await gw.admin('PATCH', '/instances/patchy', { policies: { tokenLifetimes: { accessToken: 600 } } });
      const merged = await gw.admin<InstanceBody>('PATCH', '/instances/patchy', {
        policies: {
          tokenLifetimes: { idToken: 300 },
          allowedSignInIpRanges: ['10.0.0.0/8', '2001:db8::/32'],
        },
      });
      expect(merged.status).toBe(200);
      expect(merged.body.policies.tokenLifetimes).toMatchObject({ accessToken: 600, idToken: 300 });
      expect(merged.body.policies.allowedSignInIpRanges).toEqual(['10.0.0.0/8', '2001:db8::/32']);
      const reset = await gw.admin<InstanceBody>('PATCH', '/instances/patchy', {
        policies: { tokenLifetimes: { accessToken: null } },
      });
      expect(reset.body.policies.tokenLifetimes).toMatchObject({ accessToken: 3600, idToken: 300 });
    });

    it('replaces the custom domains: a dropped one stops serving at once', async () => {
      await gw.admin('PATCH', '/instances/patchy', { customDomains: ['id.patchy.test', 'www.patchy.test'] });
      expect((await discoveryAt('www.patchy.test')).status).toBe(200);
      const res = await gw.admin<InstanceBody>('PATCH', '/instances/patchy', {
        customDomains: ['id.patchy.test'],
      });
      expect(res.body.customDomains).toEqual(['id.patchy.test']);
      expect((await discoveryAt('www.patchy.test')).status).toBe(404);
      expect((await discoveryAt('id.patchy.test')).status).toBe(200);
    });

    it.each<[string, unknown, string | undefined]>([
      ['an empty patch', {}, ''],
      ['a body that is not JSON', 'status=active', undefined],
      ['an unknown field', { name: 'renamed' }, ''],
      ['an unknown status', { status: 'deleted' }, 'status'],
      [
        'a site URL that is neither absolute nor a path',
        { sites: [{ type: 'Shop', url: 'shop' }] },
        'sites.0.url',
      ],
      ['a custom domain that is not a DNS name', { customDomains: ['bad_domain.test'] }, 'customDomains.0'],
      ['policies that are not an object', { policies: 'strict' }, 'policies'],
    ])('answers 400 for %s and changes nothing', async (_label, body, field) => {
      const before = await gw.admin<InstanceBody>('GET', '/instances/patchy');
      expectError(await gw.admin('PATCH', '/instances/patchy', body), 400, 'invalid_request', field);
      expect((await gw.admin<InstanceBody>('GET', '/instances/patchy')).body.version).toBe(
        before.body.version,
      );
    });

    it('answers 401, 404, 409 and 422', async () => {
      expectError(
        await gw.admin('PATCH', '/instances/patchy', { status: 'suspended' }, ''),
        401,
        'unauthorized',
      );
      expectError(await gw.admin('PATCH', '/instances/nobody', { displayName: 'x' }), 404, 'not_found');
      const before = await gw.admin<InstanceBody>('GET', '/instances/patchy');
      const conflict = await gw.admin<ErrorBody>('PATCH', '/instances/patchy', {
        customDomains: ['id.patchy.test', ACME_DOMAIN],
      });
      expectError(conflict, 409, 'conflict');
      expect(conflict.body.message).toContain('acme');
      expectError(
        await gw.admin('PATCH', '/instances/patchy', { policies: { session: { idleLifetime: 0 } } }),
        422,
        'invalid_policy',
        'policies.session.idleLifetime',
      );
      expectError(
        await gw.admin('PATCH', '/instances/patchy', {
          displayName: 'kept?',
          policies: { mfa: { method: 'sms' } },
        }),
        422,
        'invalid_policy',
        'policies.mfa.method',
      );
      const after = await gw.admin<InstanceBody>('GET', '/instances/patchy');
      expect(after.body).toMatchObject({ version: before.body.version, customDomains: ['id.patchy.test'] });
      expect(after.body.displayName).not.toBe('kept?');
    });
  });

  describe('/instances/{name}/policies', () => {
    it('GET answers the effective policies, defaults filled in', async () => {
      const res = await gw.admin<InstanceBody['policies'] & Record<string, unknown>>(
        'GET',
        '/instances/acme/policies',
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        tokenLifetimes: { accessToken: 900, clientCredentials: 3600 },
        mfa: { required: 'internal' },
        lockout: { maxAttempts: 5 },
        signingAlgorithm: 'RS256',
        allowedSignInIpRanges: [],
        externalUsersAllowed: true,
        keyRotation: { rotateAfterDays: 90 },
      });
    });

    it('PATCH merges a partial document and answers the effective policies', async () => {
      const res = await gw.admin<InstanceBody['policies']>('PATCH', '/instances/acme/policies', {
        lockout: { maxAttempts: 3 },
        mfa: null,
      });
      expect(res.status).toBe(200);
      expect(res.body.lockout).toMatchObject({ maxAttempts: 3, windowSeconds: 900 });
      expect(res.body.mfa).toEqual({ required: 'none' });
      expect(res.body.tokenLifetimes.accessToken).toBe(900);
    });

    it('PATCH answers 422 naming the field within the document', async () => {
      const res = await gw.admin<ErrorBody>('PATCH', '/instances/acme/policies', {
        signingAlgorithm: 'none',
        passwords: { minLength: 4, maxLength: 10 },
      });
      expectError(res, 422, 'invalid_policy', 'signingAlgorithm');
      expect(res.body.details?.map((d) => d.field)).toEqual(
        expect.arrayContaining(['passwords.minLength', 'passwords.maxLength']),
      );
    });

    it('answers 400, 401 and 404', async () => {
      expectError(
        await gw.admin('PATCH', '/instances/acme/policies', [{ mfa: 'all' }]),
        400,
        'invalid_request',
      );
      expectError(await gw.admin('PATCH', '/instances/acme/policies', '{'), 400, 'invalid_request');
      expectError(await gw.admin('GET', '/instances/acme/policies', undefined, ''), 401, 'unauthorized');
      expectError(
        await gw.admin('PATCH', '/instances/acme/policies', { mfa: null }, ''),
        401,
        'unauthorized',
      );
      expectError(await gw.admin('GET', '/instances/nobody/policies'), 404, 'not_found');
      expectError(await gw.admin('PATCH', '/instances/nobody/policies', { mfa: null }), 404, 'not_found');
    });
  });

  describe('custom domains', () => {
    let secret: string;

    beforeAll(async () => {
      const client = await gw.admin<{ clientSecret: string }>('POST', '/instances/acme/clients', {
        clientId: 'sync',
        grantTypes: ['client_credentials'],
      });
      expect(client.status).toBe(201);
      secret = client.body.clientSecret;
    });

    it('serves discovery with the issuer of the custom domain', async () => {
      const res = await discoveryAt(ACME_DOMAIN);
      expect(res.status).toBe(200);
      expect(res.body.issuer).toBe(`${at(ACME_DOMAIN)}/id`);
      expect(res.body.token_endpoint).toBe(`${at(ACME_DOMAIN)}/id/connect/token`);
      // The instance's own host keeps its own issuer.
      expect((await get(`${gw.issuer('acme')}/.well-known/openid-configuration`)).body.issuer).toBe(
        gw.issuer('acme'),
      );
    });

    it('issues tokens at the custom domain under its issuer', async () => {
      const res = await clientCredentials(ACME_DOMAIN, 'sync', secret);
      expect(res.status).toBe(200);
      const { access_token: token } = (await res.json()) as { access_token: string };
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iss: string };
      expect(claims.iss).toBe(`${at(ACME_DOMAIN)}/id`);
    });

    it('serves auto-discovery at the custom domain', async () => {
      const res = await get(`${at(ACME_DOMAIN)}/sys/auto-discovery`);
      expect(res.status).toBe(200);
      expect(res.body.WebSites).toEqual(
        expect.arrayContaining([
          { Type: 'ID', Status: 'Working', Url: `${at(ACME_DOMAIN)}/id` },
          expect.objectContaining({ Type: 'DomainAPI', Url: `${at(ACME_DOMAIN)}/api` }),
        ]),
      );
    });

    it('answers 404 at a domain nobody registered, and serves it once registered', async () => {
      expect((await discoveryAt('id.newcomer.test')).status).toBe(404);
      expect((await create({ name: 'newcomer', customDomains: ['id.newcomer.test'] })).status).toBe(201);
      expect((await discoveryAt('id.newcomer.test')).body.issuer).toBe(`${at('id.newcomer.test')}/id`);
    });

    it('refuses to give a domain owned by one instance to another (409)', async () => {
      const res = await gw.admin<ErrorBody>('PATCH', '/instances/newcomer', { customDomains: [ACME_DOMAIN] });
      expectError(res, 409, 'conflict');
      expect((await discoveryAt(ACME_DOMAIN)).body.issuer).toBe(`${at(ACME_DOMAIN)}/id`);
      expect((await gw.admin<InstanceBody>('GET', '/instances/newcomer')).body.customDomains).toEqual([
        'id.newcomer.test',
      ]);
    });
  });

  describe('suspension', () => {
    let secret: string;

    beforeAll(async () => {
      expect((await create({ name: 'sleepy', customDomains: ['id.sleepy.test'] })).status).toBe(201);
      const client = await gw.admin<{ clientSecret: string }>('POST', '/instances/sleepy/clients', {
        clientId: 'svc',
        grantTypes: ['client_credentials'],
      });
      secret = client.body.clientSecret;
      expect((await clientCredentials('sleepy.localhost', 'svc', secret)).status).toBe(200);
    });

    it('answers 503 with a JSON body on every public endpoint while suspended', async () => {
      const suspended = await gw.admin<InstanceBody>('PATCH', '/instances/sleepy', { status: 'suspended' });
      expect(suspended.body.status).toBe('suspended');
      const responses = [
        await loopbackFetch(`${gw.issuer('sleepy')}/.well-known/openid-configuration`),
        await loopbackFetch(`${gw.issuer('sleepy')}/.well-known/openid-configuration/jwks`),
        await clientCredentials('sleepy.localhost', 'svc', secret),
        await loopbackFetch(`${gw.origin('sleepy')}/sys/auto-discovery`),
        await loopbackFetch(`${at('id.sleepy.test')}/id/.well-known/openid-configuration`),
      ];
      for (const res of responses) {
        expect(res.status).toBe(503);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(res.headers.get('retry-after')).toBeTruthy();
        expect(await res.json()).toEqual({
          error: 'instance_suspended',
          error_description: 'instance sleepy is suspended',
        });
      }
    });

    it('serves again once reactivated', async () => {
      const resumed = await gw.admin<InstanceBody>('PATCH', '/instances/sleepy', { status: 'active' });
      expect(resumed.body.status).toBe('active');
      expect((await discoveryAt('sleepy.localhost')).status).toBe(200);
      expect((await discoveryAt('id.sleepy.test')).status).toBe(200);
      expect((await get(`${gw.origin('sleepy')}/sys/auto-discovery`)).status).toBe(200);
      expect((await clientCredentials('sleepy.localhost', 'svc', secret)).status).toBe(200);
    });
  });

  describe('DELETE /instances/{name}', () => {
    it('removes the instance and frees its custom domains', async () => {
      expect((await discoveryAt('id.newcomer.test')).status).toBe(200);
      expect((await gw.admin('DELETE', '/instances/newcomer')).status).toBe(204);
      expect((await gw.admin('GET', '/instances/newcomer')).status).toBe(404);
      expect((await discoveryAt('id.newcomer.test')).status).toBe(404);
      expect((await discoveryAt('newcomer.localhost')).status).toBe(404);
      // The domain went with it, so another instance may take it.
      const res = await gw.admin<InstanceBody>('PATCH', '/instances/patchy', {
        customDomains: ['id.newcomer.test'],
      });
      expect(res.status).toBe(200);
      expect((await discoveryAt('id.newcomer.test')).body.issuer).toBe(`${at('id.newcomer.test')}/id`);
    });

    it('answers 404 for an unknown instance and 401 without the token', async () => {
      expectError(await gw.admin('DELETE', '/instances/newcomer'), 404, 'not_found');
      expectError(await gw.admin('DELETE', '/instances/acme', undefined, ''), 401, 'unauthorized');
      expect((await gw.admin('GET', '/instances/acme')).status).toBe(200);
    });
  });
});
