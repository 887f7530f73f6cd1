import type { Response } from 'undici';
import type { GatewayProcess } from '../support/gateway-process';
import { loopbackFetch } from '../support/loopback-fetch';
import { attemptSignIn } from '../support/sign-in-attempt';
import { createClient, createUser } from '../support/sign-in-fixture';
import { usingSharedBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';

/**
 * Request limits and failed-authentication locks, counted across replicas: with Postgres and Redis
 * two gateway processes share the counters and every flood alternates between them; on the
 * embedded defaults (one process only) the same flows run against the one process.
 * The gateways trust the loopback proxy, so each test speaks for the client address it names in
 * `X-Forwarded-For`, and no two tests share an address.
 */
const shared = usingSharedBackends();
const PASSWORD = 'correct horse battery staple';
/**
 * Admin API requests per address and minute, on both gateways (replicas share one configuration and
 * one count); well above what the setup sends from the loopback address.
 */
const ADMIN_LIMIT = 200;

interface AuditItem {
  action: string;
  actor: string;
  sourceAddress: string | null;
  details: Record<string, unknown>;
  target: { type: string; id: string } | null;
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: Record<string, unknown>;
  text: string;
}

const from = (address: string): Record<string, string> => ({ 'x-forwarded-for': address });

describe(shared ? 'rate limits across two replicas' : 'rate limits (one embedded process)', () => {
  let replicas: GatewayProcess[] = [];
  let dispose: (() => Promise<void>) | undefined;
  /** Secrets of the clients, by instance and client id. */
  const secrets = new Map<string, string>();

  /** The replica that serves the n-th request of a flood: they alternate. */
  const replica = (n: number): GatewayProcess => replicas[n % replicas.length]!;
  const admin = (): GatewayProcess => replicas[0]!;

  const answer = async (res: Response): Promise<Answer> => {
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // An HTML page (authorization endpoint, sign-in form).
    }
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body, text };
  };

  const tokenRequest = async (
    gw: GatewayProcess,
    instance: string,
    clientId: string,
    secret: string,
    address: string,
  ): Promise<Answer> =>
    answer(
      await loopbackFetch(`${gw.issuer(instance)}/connect/token`, {
        method: 'POST',
        headers: {
          ...from(address),
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        },
        body: 'grant_type=client_credentials',
      }),
    );

  const events = async (instance: string, action: string): Promise<AuditItem[]> => {
    const res = await admin().admin<{ items: AuditItem[] }>(
      'GET',
      `/instances/${instance}/audit?limit=200&action=${encodeURIComponent(action)}`,
    );
    expect(res.status).toBe(200);
    return res.body.items;
  };

  const expectRefusal = (res: Answer): void => {
    expect(res.status).toBe(429);
    expect(Number(res.retryAfter)).toBeGreaterThan(0);
  };

  beforeAll(async () => {
    ({ gateways: replicas, dispose } = await startTestGateways({
      database: 'idgw_rate_limits',
      replicas: 2,
      env: { TRUSTED_PROXIES: '127.0.0.1/32,::1/128', ADMIN_RATE_LIMIT_PER_MINUTE: String(ADMIN_LIMIT) },
    }));

    const instances: Array<[string, Record<string, unknown>]> = [
      // Low limits, so floods reach them quickly; `open` keeps the defaults.
      ['guarded', { lockout: { maxAttempts: 2 }, rateLimits: { clientAuthFailuresPerAddress: 5 } }],
      [
        'busy',
        {
          rateLimits: { tokenPerAddress: 6, tokenPerClient: 8, authorizePerAddress: 4, signInPerAddress: 3 },
        },
      ],
      ['open', {}],
    ];
    for (const [name, policies] of instances) {
      expect((await admin().admin('POST', '/instances', { name, policies })).status).toBe(201);
      const created = await createClient(admin(), name, {
        clientId: 'robot',
        grantTypes: ['client_credentials'],
        scopes: ['update'],
      });
      secrets.set(name, created.clientSecret!);
      await createClient(admin(), name, {
        clientId: 'portal',
        tokenEndpointAuthMethod: 'none',
        grantTypes: ['authorization_code'],
        redirectUris: ['http://127.0.0.1:9/cb'],
        scopes: ['openid'],
      });
      await createUser(admin(), name, { username: 'erin', password: PASSWORD, kind: 'internal' });
    }
  });

  afterAll(async () => {
    await dispose?.();
  });

  describe('failed client authentications', () => {
    it('locks the address after the allowed failures, counted across replicas, with Retry-After', async () => {
      const attacker = '198.51.100.10';
      for (let n = 0; n < 5; n += 1) {
        const res = await tokenRequest(replica(n), 'guarded', 'robot', `wrong-secret-${n}`, attacker);
        expect(res.status).toBe(401);
        expect(res.body.error).toBe('invalid_client');
      }
      const sixth = await tokenRequest(replica(5), 'guarded', 'robot', 'wrong-secret-6', attacker);
      expectRefusal(sixth);
      expect(sixth.body).toMatchObject({ error: 'temporarily_unavailable' });
      expect(Number(sixth.retryAfter)).toBeLessThanOrEqual(900);

      // Locked on every replica, for unknown clients and for the right secret alike.
      for (let n = 0; n < replicas.length; n += 1) {
        expectRefusal(await tokenRequest(replica(n), 'guarded', 'robot', 'another-guess', attacker));
        expectRefusal(await tokenRequest(replica(n), 'guarded', 'nobody', 'guess', attacker));
        expectRefusal(await tokenRequest(replica(n), 'guarded', 'robot', secrets.get('guarded')!, attacker));
      }
      const introspection = await answer(
        await loopbackFetch(`${replica(1).issuer('guarded')}/connect/introspect`, {
          method: 'POST',
          headers: {
            ...from(attacker),
            'content-type': 'application/x-www-form-urlencoded',
            authorization: `Basic ${Buffer.from('robot:guess').toString('base64')}`,
          },
          body: 'token=abc',
        }),
      );
      expectRefusal(introspection);
    });

    it('leaves other addresses and other instances alone', async () => {
      const attacker = '198.51.100.11';
      for (let n = 0; n < 6; n += 1) {
        await tokenRequest(replica(n), 'guarded', 'robot', `wrong-${n}`, attacker);
      }
      expectRefusal(await tokenRequest(replica(0), 'guarded', 'robot', 'wrong-again', attacker));
      for (let n = 0; n < replicas.length; n += 1) {
        const neighbour = await tokenRequest(
          replica(n),
          'guarded',
          'robot',
          secrets.get('guarded')!,
          '198.51.100.12',
        );
        expect(neighbour.status).toBe(200);
        const elsewhere = await tokenRequest(replica(n), 'open', 'robot', secrets.get('open')!, attacker);
        expect(elsewhere.status).toBe(200);
      }
    });

    it('counts an IPv6 /64 as one source', async () => {
      for (let n = 0; n < 5; n += 1) {
        expect(
          (await tokenRequest(replica(n), 'guarded', 'robot', 'wrong', `2001:db8:5:5::${n + 1}`)).status,
        ).toBe(401);
      }
      expectRefusal(await tokenRequest(replica(5), 'guarded', 'robot', 'wrong', '2001:db8:5:5:ffff::9'));
      expect(
        (await tokenRequest(replica(0), 'guarded', 'robot', secrets.get('guarded')!, '2001:db8:5:6::1'))
          .status,
      ).toBe(200);
    });

    it('records one lockout per address in the audit log, without the guessed secrets', async () => {
      const locked = await events('guarded', 'client_auth.locked_out');
      const actors = locked.map((e) => e.actor).sort();
      expect(actors).toEqual(['198.51.100.10', '198.51.100.11', '2001:db8:5:5::/64'].sort());
      for (const event of locked) {
        expect(event.details).toMatchObject({ failures: 6, retryAfterSeconds: expect.any(Number) });
        expect(JSON.stringify(event)).not.toMatch(/wrong|guess/);
      }
    });
  });

  describe('failed passwords', () => {
    it('locks an address trying passwords on many accounts, counted across replicas', async () => {
      const sprayer = from('203.0.113.20');
      const target = (n: number) => ({
        issuer: replica(n).issuer('guarded'),
        clientId: 'portal',
        redirectUri: 'http://127.0.0.1:9/cb',
      });
      // Unknown accounts, so only the address's count runs: 4 × maxAttempts (2) failures lock it.
      const statuses: number[] = [];
      for (let n = 0; n < 9; n += 1) {
        statuses.push(await attemptSignIn(target(n), `user-${n}`, 'Summer2026!!', sprayer));
      }
      // The 8th failure sets the lock and is answered with it; the 9th is refused before any check.
      expect(statuses).toEqual([...Array<number>(7).fill(401), 429, 429]);
      // The right password of a real account from that address is refused too, on every replica.
      for (let n = 0; n < replicas.length; n += 1) {
        expect(await attemptSignIn(target(n), 'erin', PASSWORD, sprayer)).toBe(429);
      }
      // Another address signs in.
      expect(await attemptSignIn(target(1), 'erin', PASSWORD, from('203.0.113.21'))).toBe(303);
    });
  });

  describe('request limits', () => {
    it('limits token requests per address across replicas and audits the first refusal once', async () => {
      const address = '192.0.2.30';
      const secret = secrets.get('busy')!;
      for (let n = 0; n < 6; n += 1) {
        expect((await tokenRequest(replica(n), 'busy', 'robot', secret, address)).status).toBe(200);
      }
      for (let n = 6; n < 9; n += 1) {
        const refused = await tokenRequest(replica(n), 'busy', 'robot', secret, address);
        expectRefusal(refused);
        expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
        expect(refused.body).toMatchObject({
          error: 'temporarily_unavailable',
          error_description: expect.stringMatching(/too many requests/),
        });
      }
      const throttled = (await events('busy', 'rate_limit.exceeded')).filter((e) => e.actor === address);
      expect(throttled).toHaveLength(1);
      expect(throttled[0]!.details).toMatchObject({ limit: 'token', allowed: 6, windowSeconds: 60 });
    });

    it('limits authenticated token requests per client, whatever the address', async () => {
      const secret = secrets.get('busy')!;
      // Two requests were made for this client by the test before (6 counted); 2 more are allowed.
      const statuses: number[] = [];
      for (let n = 0; n < 4; n += 1) {
        statuses.push((await tokenRequest(replica(n), 'busy', 'robot', secret, `192.0.2.${40 + n}`)).status);
      }
      expect(statuses).toEqual([200, 200, 429, 429]);
      const refused = await tokenRequest(replica(0), 'busy', 'robot', secret, '192.0.2.50');
      expectRefusal(refused);
      // Naming the client with a wrong secret does not spend its allowance, and is not refused by it.
      expect((await tokenRequest(replica(1), 'busy', 'robot', 'wrong', '192.0.2.51')).status).toBe(401);
      const throttled = (await events('busy', 'rate_limit.exceeded')).filter(
        (e) => e.details.limit === 'token-client',
      );
      expect(throttled).toHaveLength(1);
      expect(throttled[0]!.target).toEqual({ type: 'client', id: 'robot' });
    });

    it('limits authorization requests per address with a page and Retry-After', async () => {
      const url = (gw: GatewayProcess) =>
        `${gw.issuer('busy')}/connect/authorize?${new URLSearchParams({
          client_id: 'portal',
          response_type: 'code',
          redirect_uri: 'http://127.0.0.1:9/cb',
          scope: 'openid',
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          code_challenge_method: 'S256',
        }).toString()}`;
      for (let n = 0; n < 4; n += 1) {
        const res = await answer(
          await loopbackFetch(url(replica(n)), { redirect: 'manual', headers: from('192.0.2.60') }),
        );
        expect(res.status).toBe(303);
      }
      const refused = await answer(
        await loopbackFetch(url(replica(4)), { redirect: 'manual', headers: from('192.0.2.60') }),
      );
      expectRefusal(refused);
      expect(refused.text).toMatch(/too many requests from this address/);
      const other = await loopbackFetch(url(replica(5)), { redirect: 'manual', headers: from('192.0.2.61') });
      expect(other.status).toBe(303);
    });

    it('limits sign-in form posts per address', async () => {
      const target = (n: number) => ({
        issuer: replica(n).issuer('busy'),
        clientId: 'portal',
        redirectUri: 'http://127.0.0.1:9/cb',
      });
      // Each attempt is one authorization request and one post; authorizePerAddress (4) allows 4.
      const statuses: number[] = [];
      for (let n = 0; n < 4; n += 1)
        statuses.push(await attemptSignIn(target(n), 'erin', `wrong-${n}`, from('192.0.2.70')));
      expect(statuses).toEqual([401, 401, 401, 429]);
    });

    it('limits admin API requests per address (ADMIN_RATE_LIMIT_PER_MINUTE), across replicas', async () => {
      const get = (gw: GatewayProcess, address: string, token: string | null = gw.adminToken) =>
        loopbackFetch(`http://127.0.0.1:${gw.adminPort}/admin/v1/instances?limit=1`, {
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...from(address) },
        });
      const statuses: number[] = [];
      for (let n = 0; n < ADMIN_LIMIT + 10; n += 1) {
        const res = await get(replica(n), '192.0.2.80');
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      // Replicas reserve requests in small batches: the limit is never passed, and reached within a
      // batch (2 requests at this limit) per replica.
      const allowed = statuses.filter((s) => s === 200).length;
      expect(allowed).toBeLessThanOrEqual(ADMIN_LIMIT);
      expect(allowed).toBeGreaterThanOrEqual(ADMIN_LIMIT - 2 * replicas.length);
      expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
      const refused = await answer(await get(replica(0), '192.0.2.80'));
      expectRefusal(refused);
      expect(refused.body).toMatchObject({ error: 'too_many_requests', message: expect.any(String) });
      // Without a token too: the limit comes before authentication.
      const anonymous = await get(replica(1), '192.0.2.80', null);
      await anonymous.arrayBuffer();
      expect(anonymous.status).toBe(429);
      const neighbour = await get(replica(1), '192.0.2.81');
      await neighbour.arrayBuffer();
      expect(neighbour.status).toBe(200);
    });
  });

  describe('normal traffic at the default limits', () => {
    it('never meets a 429', async () => {
      const secret = secrets.get('open')!;
      const address = '192.0.2.90';
      const statuses = new Map<number, number>();
      const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
      // A busy service: 300 token requests, 8 at a time, spread over the replicas.
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < 300) {
            const n = next++;
            count((await tokenRequest(replica(n), 'open', 'robot', secret, address)).status);
          }
        }),
      );
      // An office behind one address: 30 people sign in, a few mistype their password first.
      for (let n = 0; n < 30; n += 1) {
        const target = {
          issuer: replica(n).issuer('open'),
          clientId: 'portal',
          redirectUri: 'http://127.0.0.1:9/cb',
        };
        if (n % 10 === 0) count(await attemptSignIn(target, 'erin', 'mistyped password', from(address)));
        count(await attemptSignIn(target, 'erin', PASSWORD, from(address)));
      }
      expect(Object.fromEntries(statuses)).toEqual({ 200: 300, 303: 30, 401: 3 });
    });
  });
});
