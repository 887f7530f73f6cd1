import { connect, createServer, type Server, type Socket } from 'node:net';
import { GatewayProcess } from '../support/gateway-process';
import { loopbackFetch } from '../support/loopback-fetch';
import { createTestDatabase, testBackends, uniqueKeyPrefix } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';

interface CreatedClient {
  clientId: string;
  clientSecret: string;
}

type Json = Record<string, unknown>;

const realBackends = Boolean(testBackends.postgresUrl && testBackends.redisUrl);
const mode = `${testBackends.postgresUrl ? 'Postgres' : 'PGlite'} + ${testBackends.redisUrl ? 'Redis' : 'in-process state'}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a value, or fails with the last thing it saw. */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

async function createInstanceWithClient(gw: GatewayProcess, instance: string): Promise<CreatedClient> {
  expect((await gw.admin('POST', '/instances', { name: instance })).status).toBe(201);
  const created = await gw.admin<CreatedClient>('POST', `/instances/${instance}/clients`, {
    clientId: 'metrics-probe',
    grantTypes: ['client_credentials'],
    scopes: ['read'],
    introspection: true,
  });
  expect(created.status).toBe(201);
  return created.body;
}

const basic = (c: CreatedClient): string =>
  `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`;

const adminGet = (gw: GatewayProcess, path: string) =>
  loopbackFetch(`http://127.0.0.1:${gw.adminPort}${path}`);

async function probe(
  gw: GatewayProcess,
  path: '/healthz' | '/readyz',
): Promise<{ status: number; body: Json }> {
  const res = await adminGet(gw, path);
  return { status: res.status, body: (await res.json()) as Json };
}

/** Prometheus text format as `name{label="value",...}` (labels sorted) → value. */
function parseMetrics(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) continue;
    const labels = [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(
      ([, k, v]) => `${k}="${v}"`,
    );
    series.set(`${match[1]}{${labels.sort().join(',')}}`, Number(match[3]));
  }
  return series;
}

function metric(series: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  const key = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  return series.get(`${name}{${key}}`) ?? 0;
}

async function scrape(gw: GatewayProcess): Promise<{ text: string; series: Map<string, number> }> {
  const res = await adminGet(gw, '/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  const text = await res.text();
  return { text, series: parseMetrics(text) };
}

/** The gateway's output since `mark` (a character offset), as parsed JSON lines; throws on a non-JSON line. */
function logLinesSince(gw: GatewayProcess, mark: number): Json[] {
  let text = gw.output.join('').slice(mark);
  // Start at a line boundary: the mark may fall inside a line being written.
  if (mark > 0 && gw.output.join('')[mark - 1] !== '\n') text = text.slice(text.indexOf('\n') + 1);
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Json;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}

const outputLength = (gw: GatewayProcess): number => gw.output.join('').length;

describe(`observability (${mode})`, () => {
  let gw: GatewayProcess;
  let dispose: () => Promise<void>;
  let probeClient: CreatedClient;

  const token = (headers: Record<string, string> = {}, query = '') =>
    loopbackFetch(`${gw.issuer('obs')}/connect/token${query}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(probeClient),
        ...headers,
      },
      body: 'grant_type=client_credentials&scope=read',
    });

  beforeAll(async () => {
    ({ gw, dispose } = await startTestGateways({ database: 'idgw_obs' }));
    probeClient = await createInstanceWithClient(gw, 'obs');
  });

  afterAll(async () => {
    await dispose?.();
  });

  describe('health', () => {
    it('answers /healthz on the admin listener without checking dependencies', async () => {
      const { status, body } = await probe(gw, '/healthz');
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'ok', details: { process: { status: 'up' } } });
    });

    it('answers /readyz with the state of each dependency', async () => {
      const { status, body } = await probe(gw, '/readyz');
      expect(status).toBe(200);
      expect(body).toMatchObject({
        status: 'ok',
        details: {
          postgres: { status: 'up', backend: testBackends.postgresUrl ? 'postgres' : 'pglite' },
          migrations: { status: 'up', pending: false },
          redis: { status: 'up', backend: testBackends.redisUrl ? 'redis' : 'in-process' },
        },
      });
      const res = await adminGet(gw, '/readyz');
      expect(res.headers.get('cache-control')).toContain('no-store');
      await res.arrayBuffer();
    });

    it('keeps probes and metrics off the public listener', async () => {
      for (const path of ['/healthz', '/readyz', '/metrics']) {
        for (const origin of [gw.origin('obs'), `http://localhost:${gw.port}`]) {
          const res = await loopbackFetch(`${origin}${path}`);
          expect(res.status).toBe(404);
          await res.arrayBuffer();
        }
      }
    });

    it('serves exactly these operations paths on the admin listener', async () => {
      for (const path of ['/healthzz', '/metrics/x', '/readyz/', '/', '/sys/auto-discovery']) {
        const res = await adminGet(gw, path);
        expect(res.status).toBe(404);
        await res.arrayBuffer();
      }
    });
  });

  describe('metrics', () => {
    it('counts requests by instance, route and status class, and tokens by grant type', async () => {
      const before = (await scrape(gw)).series;
      const discovery = await loopbackFetch(`${gw.issuer('obs')}/.well-known/openid-configuration`);
      expect(discovery.status).toBe(200);
      await discovery.arrayBuffer();
      const issued = await token();
      expect(issued.status).toBe(200);
      await issued.arrayBuffer();
      const refused = await token({ authorization: basic({ ...probeClient, clientSecret: 'x'.repeat(43) }) });
      expect(refused.status).toBe(401);
      await refused.arrayBuffer();

      const { series: after, text } = await scrape(gw);
      const delta = (name: string, labels: Record<string, string>) =>
        metric(after, name, labels) - metric(before, name, labels);
      const requests = 'idgw_http_requests_total';
      expect(delta(requests, { erp_instance: 'obs', route: 'discovery', status_class: '2xx' })).toBe(1);
      expect(delta(requests, { erp_instance: 'obs', route: 'token', status_class: '2xx' })).toBe(1);
      expect(delta(requests, { erp_instance: 'obs', route: 'token', status_class: '4xx' })).toBe(1);
      expect(
        delta('idgw_tokens_issued_total', { erp_instance: 'obs', grant_type: 'client_credentials' }),
      ).toBe(1);
      expect(delta('idgw_token_errors_total', { erp_instance: 'obs', error: 'invalid_client' })).toBe(1);
      expect(delta('idgw_http_request_duration_seconds_count', { route: 'token', status_class: '2xx' })).toBe(
        1,
      );

      // Admin requests are counted too, without an instance.
      expect(
        metric(after, requests, { erp_instance: '', route: 'admin', status_class: '2xx' }),
      ).toBeGreaterThan(0);

      // Never a client id, secret or token as a label value.
      expect(text).not.toContain(probeClient.clientId);
      expect(text).not.toContain(probeClient.clientSecret);
    });

    it('exposes the issuer pool and process metrics', async () => {
      const { series, text } = await scrape(gw);
      expect(metric(series, 'idgw_issuer_pool_size')).toBeGreaterThanOrEqual(1);
      expect(metric(series, 'idgw_issuer_builds_total', { outcome: 'success' })).toBeGreaterThanOrEqual(1);
      expect(
        metric(series, 'idgw_issuer_build_duration_seconds_count', { outcome: 'success' }),
      ).toBeGreaterThanOrEqual(1);
      expect(text).toContain('idgw_issuer_evictions_total');
      expect(text).toContain('idgw_dependency_errors_total');
      expect(text).toContain('process_cpu_user_seconds_total');
      expect(text).toContain('nodejs_eventloop_lag_seconds');
    });
  });

  describe('logs', () => {
    it('writes one JSON line per request, with request id, instance, route, status and duration', async () => {
      const mark = outputLength(gw);
      const res = await token({ 'x-request-id': 'obs-token-1' });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBe('obs-token-1');
      await res.arrayBuffer();

      const line = await eventually('the token request line', async () =>
        logLinesSince(gw, mark).find((l) => l.reqId === 'obs-token-1' && l.res !== undefined),
      );
      expect(line).toMatchObject({
        level: 'info',
        reqId: 'obs-token-1',
        instance: 'obs',
        route: 'token',
        req: { method: 'POST', path: '/id/connect/token' },
        res: { statusCode: 200 },
      });
      expect(typeof line.durationMs).toBe('number');
    });

    it('replaces an unsafe request id with a generated one', async () => {
      const res = await loopbackFetch(`${gw.issuer('obs')}/.well-known/openid-configuration`, {
        headers: { 'x-request-id': 'forged"id {"level":"fatal"}' },
      });
      await res.arrayBuffer();
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('never writes a secret: client secret, tokens, admin token, authorization header, query string', async () => {
      const mark = outputLength(gw);
      const res = await token(
        { 'x-request-id': 'obs-secrets' },
        '?code=query-code-SECRET&state=query-state-SECRET',
      );
      expect(res.status).toBe(200);
      const { access_token: accessToken } = (await res.json()) as { access_token: string };
      const introspect = await loopbackFetch(`${gw.issuer('obs')}/connect/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(probeClient) },
        body: `token=${accessToken}`,
      });
      expect(introspect.status).toBe(200);
      await introspect.arrayBuffer();
      const userinfo = await loopbackFetch(`${gw.issuer('obs')}/connect/userinfo`, {
        headers: { authorization: `Bearer ${accessToken}`, cookie: 'session=cookie-SECRET' },
      });
      await userinfo.arrayBuffer();
      expect((await gw.admin('GET', '/instances/obs')).status).toBe(200);
      // An admin request with a wrong token, which must not be logged either.
      expect(
        (await gw.admin('GET', '/instances/obs', undefined, 'wrong-admin-token-SECRET-000000')).status,
      ).toBe(401);

      const lines = await eventually('the admin request lines', async () => {
        const all = logLinesSince(gw, mark);
        return all.filter((l) => l.route === 'admin' && l.res !== undefined).length >= 2 ? all : undefined;
      });
      expect(lines.find((l) => l.reqId === 'obs-secrets')).toMatchObject({ route: 'token', instance: 'obs' });
      expect(lines.find((l) => l.route === 'introspect')).toMatchObject({
        instance: 'obs',
        res: { statusCode: 200 },
      });
      const text = lines.map((l) => JSON.stringify(l)).join('\n');
      for (const secret of [
        probeClient.clientSecret,
        basic(probeClient),
        basic(probeClient).slice('Basic '.length),
        accessToken,
        accessToken.split('.')[2]!,
        gw.adminToken,
        'wrong-admin-token-SECRET',
        'query-code-SECRET',
        'query-state-SECRET',
        'cookie-SECRET',
      ]) {
        expect(text).not.toContain(secret);
      }
    });
  });
});

describe(`graceful shutdown (${mode})`, () => {
  let gw: GatewayProcess;
  let dispose: () => Promise<void>;
  let probeClient: CreatedClient;

  beforeAll(async () => {
    ({ gw, dispose } = await startTestGateways({ database: 'idgw_obs' }));
    probeClient = await createInstanceWithClient(gw, 'drain');
    // Build the issuer now, so the request held open below is the only thing in flight.
    const res = await loopbackFetch(`${gw.issuer('drain')}/.well-known/openid-configuration`);
    await res.arrayBuffer();
  });

  afterAll(async () => {
    await dispose?.();
  });

  it('on SIGTERM turns unready at once, finishes the request in flight with Connection: close, and exits', async () => {
    const body = 'grant_type=client_credentials&scope=read';
    const socket: Socket = connect(gw.port, '127.0.0.1');
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    await new Promise<void>((r) => socket.once('connect', () => r()));
    // Headers and half the body: the token request is in flight until the rest arrives.
    socket.write(
      [
        'POST /id/connect/token HTTP/1.1',
        `Host: drain.localhost:${gw.port}`,
        'Content-Type: application/x-www-form-urlencoded',
        `Authorization: ${basic(probeClient)}`,
        `Content-Length: ${body.length}`,
        '',
        body.slice(0, 10),
      ].join('\r\n'),
    );
    await sleep(300);

    const mark = outputLength(gw);
    const stopped = gw.stop();
    const unready = await eventually('readiness to fail', async () => {
      const { status, body: result } = await probe(gw, '/readyz');
      return status === 503 ? result : undefined;
    });
    expect(unready).toMatchObject({ status: 'error', error: { lifecycle: { status: 'down' } } });

    socket.write(body.slice(10));
    await closed;
    const [head = '', payload = ''] = response.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    expect(head.toLowerCase()).toContain('connection: close');
    expect(payload).toContain('access_token');

    await stopped;
    const messages = logLinesSince(gw, mark).map((l) => l.msg);
    expect(messages).toContain('shutdown complete');
    expect(messages.join('\n')).not.toContain('did not finish');
  });
});

/**
 * A TCP proxy in front of Redis that the test can pause (connections stay open, nothing passes:
 * Redis unreachable) and close (connections refused), without touching the shared Redis.
 */
class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private paused = false;

  private constructor(
    private readonly target: { host: string; port: number },
    public port = 0,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.open();
    return proxy;
  }

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.once('close', () => {
          this.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
        if (this.paused) socket.pause();
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : this.port;
    this.server = server;
  }

  pause(): void {
    this.paused = true;
    for (const socket of this.sockets) socket.pause();
  }

  resume(): void {
    this.paused = false;
    for (const socket of this.sockets) socket.resume();
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}

// Only with real Postgres and Redis: in embedded mode there is no Redis to lose.
if (realBackends) {
  describe('readiness follows Redis (Postgres + Redis, through a proxy)', () => {
    let proxy: TcpProxy;
    let gw: GatewayProcess;
    let dispose: () => Promise<void>;

    beforeAll(async () => {
      const redis = new URL(testBackends.redisUrl!);
      proxy = await TcpProxy.start({ host: redis.hostname, port: Number(redis.port || 6379) });
      redis.host = `127.0.0.1:${proxy.port}`;
      ({ gw, dispose } = await startTestGateways({ database: 'idgw_obs', redisUrl: redis.toString() }));
    });

    afterAll(async () => {
      proxy?.resume();
      await dispose?.();
      await proxy?.close();
    });

    const readyWithin = async (ms: number) => {
      const ready = await eventually(
        'readiness',
        async () => ((await probe(gw, '/readyz')).status === 200 ? true : undefined),
        ms,
      );
      expect(ready).toBe(true);
    };

    /** A 503 within the check timeout (plus slack), naming Redis; returns why Redis is down. */
    const expectQuickUnready = async (): Promise<string> => {
      const started = Date.now();
      const { status, body } = await probe(gw, '/readyz');
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(status).toBe(503);
      expect(body).toMatchObject({
        status: 'error',
        error: { redis: { status: 'down' } },
        info: { postgres: { status: 'up' }, migrations: { status: 'up' } },
      });
      const message = (body.error as Record<string, Json>).redis!.message;
      expect(typeof message).toBe('string');
      return message as string;
    };

    it('answers 503 quickly while Redis is unreachable or refusing, and is ready again after it returns', async () => {
      await readyWithin(10_000);
      const errorsBefore = metric((await scrape(gw)).series, 'idgw_dependency_errors_total', {
        dependency: 'redis',
        source: 'readiness',
      });

      // Unreachable: connections stay open, nothing answers. The check times out instead of hanging.
      proxy.pause();
      expect(await expectQuickUnready()).toMatch(/timeout/);
      expect(await expectQuickUnready()).toMatch(/timeout/);
      // Liveness does not depend on Redis: the pod must not be restarted for an outage.
      expect((await probe(gw, '/healthz')).status).toBe(200);
      proxy.resume();
      await readyWithin(15_000);

      // Refusing: the proxy is gone, every reconnect fails.
      await proxy.close();
      await expectQuickUnready();
      await proxy.open();
      await readyWithin(15_000);

      const { series } = await scrape(gw);
      expect(
        metric(series, 'idgw_dependency_errors_total', { dependency: 'redis', source: 'readiness' }),
      ).toBeGreaterThan(errorsBefore);
      expect(
        metric(series, 'idgw_dependency_errors_total', { dependency: 'redis', source: 'client' }),
      ).toBeGreaterThan(0);
      expect(metric(series, 'idgw_dependency_up', { dependency: 'redis' })).toBe(1);
    });
  });
}

// Only with real Postgres: the embedded database lives inside the gateway process.
if (realBackends) {
  describe('readiness follows Postgres (through a proxy)', () => {
    let proxy: TcpProxy;
    let gw: GatewayProcess;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const db = await createTestDatabase('idgw_obs_pg');
      drop = db.drop;
      const url = new URL(db.url);
      proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
      url.host = `127.0.0.1:${proxy.port}`;
      gw = await GatewayProcess.start({
        databaseUrl: url.toString(),
        redisUrl: testBackends.redisUrl,
        redisKeyPrefix: uniqueKeyPrefix(),
      });
    });

    afterAll(async () => {
      proxy?.resume();
      await gw?.dispose();
      await proxy?.close();
      await drop?.();
    });

    it('answers 503 while Postgres is unreachable, serves requests a clear 503, and recovers without a restart', async () => {
      await eventually(
        'readiness',
        async () => ((await probe(gw, '/readyz')).status === 200 ? true : undefined),
        10_000,
      );
      proxy.pause();
      const started = Date.now();
      const { status, body } = await probe(gw, '/readyz');
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(status).toBe(503);
      expect(body).toMatchObject({ status: 'error', error: { postgres: { status: 'down' } } });
      expect((await probe(gw, '/healthz')).status).toBe(200);

      // A host whose instance is not cached needs Postgres: a clear 503, never a hang or a crash.
      const res = await loopbackFetch(`${gw.origin('not-cached')}/id/.well-known/openid-configuration`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });

      proxy.resume();
      await eventually(
        'readiness',
        async () => ((await probe(gw, '/readyz')).status === 200 ? true : undefined),
        15_000,
      );
      const after = await loopbackFetch(`${gw.origin('not-cached')}/id/.well-known/openid-configuration`);
      expect(after.status).toBe(404);
    }, 60_000);
  });
}
