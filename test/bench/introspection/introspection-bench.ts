import { createHash } from 'node:crypto';
import autocannon from 'autocannon';
import Redis from 'ioredis';
import { Pool } from 'pg';
import type { GatewayProcess } from '../../support/gateway-process';
import { introspect } from '../../support/token-requests';
import type { BenchConfig } from '../bench-config';
import { UNREACHED_RATE_LIMITS } from '../gateway/provisioning';
import { fixed, textTable } from '../text-table';
import { concurrentLoops } from './concurrent-loops';
import { type LibraryVerificationResult, measureLibraryVerification } from './library-verification';

const INSTANCE = 'bench-introspect';

/** Where the gateway's Postgres database and Redis are, for the baselines; absent in embedded mode. */
export interface SharedBackends {
  databaseUrl: string;
  redisUrl: string;
}

export interface IntrospectionBenchResult {
  /** 200 answers with `active: true` per second, reference token, uncached (every answer reads Postgres). */
  gatewayPerSec: number;
  gatewayP99Ms: number;
  notOk: number;
  /** The same lookup by hash, straight to Postgres from this process; absent in embedded mode. */
  postgresPerSec?: number;
  /** A bare Redis GET in the same kind of loop; absent in embedded mode. */
  redisPerSec?: number;
  /** The resource-server library's reference-token path, cache off and cache warm, in this process. */
  library: LibraryVerificationResult;
}

interface Provisioned {
  /** The token autocannon and the baselines use: the first of `tokens`. */
  token: string;
  /** One personal access token per connection, all of one user. */
  tokens: string[];
  userId: string;
  instanceId: string;
  clientId: string;
  clientSecret: string;
}

async function provision(gw: GatewayProcess, count: number): Promise<Provisioned> {
  const instance = await gw.admin<{ id: string }>('POST', '/instances', {
    name: INSTANCE,
    policies: UNREACHED_RATE_LIMITS,
  });
  if (instance.status !== 201) throw new Error(`instance: ${instance.status}`);
  const user = await gw.admin<{ id: string }>('POST', `/instances/${INSTANCE}/users`, {
    username: 'reader',
    password: 'correct horse battery staple',
    kind: 'internal',
  });
  if (user.status !== 201) throw new Error(`user: ${user.status}`);
  const client = await gw.admin<{ clientId: string; clientSecret: string }>(
    'POST',
    `/instances/${INSTANCE}/clients`,
    {
      clientId: 'domain-api',
      grantTypes: ['client_credentials'],
      introspection: true,
    },
  );
  if (client.status !== 201) throw new Error(`client: ${client.status}`);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const token = await gw.admin<{ token: string }>('POST', `/instances/${INSTANCE}/reference-tokens`, {
      kind: 'personal',
      subject: user.body.id,
      scopes: ['read'],
    });
    if (token.status !== 201) throw new Error(`token: ${token.status}`);
    tokens.push(token.body.token);
  }
  return { token: tokens[0]!, tokens, userId: user.body.id, instanceId: instance.body.id, ...client.body };
}

/** `connections` loops running `op` back to back for `durationSec`; operations per second. */
const loops = async (connections: number, durationSec: number, op: () => Promise<void>): Promise<number> =>
  (await concurrentLoops(connections, durationSec, op)).perSec;

async function gatewayLoad(gw: GatewayProcess, p: Provisioned, config: BenchConfig, durationSec: number) {
  return autocannon({
    // Instance hosts do not resolve here: connect to the loopback address, name the instance in Host.
    url: `http://127.0.0.1:${gw.port}/id/connect/introspect`,
    method: 'POST',
    headers: {
      host: `${INSTANCE}.localhost:${gw.port}`,
      authorization: `Basic ${Buffer.from(`${p.clientId}:${p.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token: p.token }).toString(),
    connections: config.connections,
    duration: durationSec,
    pipelining: 1,
    timeout: 10,
  });
}

/**
 * Introspection of a personal access token at the gateway (client authentication, the lookup by
 * hash in Postgres, the subject's state) next to what it is built on, measured in the same run with
 * the same concurrency: the same lookup query sent straight to Postgres, and a bare Redis GET.
 * The gateway keeps no cache of reference tokens (a revocation must hold on every replica at once),
 * so its figure is the uncached one. Then the same tokens through the resource-server library,
 * which an API runs: cache off (one introspection per verification) and cache warm, the latter next
 * to a bare in-process LRU lookup.
 */
export async function measureIntrospection(
  gw: GatewayProcess,
  backends: SharedBackends | undefined,
  config: BenchConfig,
): Promise<IntrospectionBenchResult> {
  const p = await provision(gw, config.connections);
  const check = await introspect(gw.issuer(INSTANCE), p.clientId, p.clientSecret, p.token);
  if (check.status !== 200 || check.body.active !== true) {
    throw new Error(`introspection of the benchmark token: ${check.status} ${JSON.stringify(check.body)}`);
  }
  await gatewayLoad(gw, p, config, config.warmupSec + config.primeSec);
  const run = await gatewayLoad(gw, p, config, config.durationSec);
  const ok = run['2xx'];
  const notOk = run.non2xx + run.errors + run.timeouts;
  const after = await introspect(gw.issuer(INSTANCE), p.clientId, p.clientSecret, p.token);
  if (after.body.active !== true) throw new Error('the benchmark token stopped being active');
  const partial = { gatewayPerSec: ok / config.durationSec, gatewayP99Ms: run.latency.p99, notOk };
  const baselines: Pick<IntrospectionBenchResult, 'postgresPerSec' | 'redisPerSec'> = {};

  if (backends) {
    const pool = new Pool({ connectionString: backends.databaseUrl, max: config.connections });
    const lookup = async (): Promise<void> => {
      const hash = createHash('sha256').update(p.token).digest('hex');
      const res = await pool.query(
        `SELECT t.id, t.kind, t.user_id, t.service_account_id, t.scopes, t.apis, t.expires_at, t.created_at,
                u.kind AS user_kind, u.status AS user_status, a.status AS account_status, a.scopes AS account_scopes
           FROM reference_tokens t
           LEFT JOIN users u ON u.id = t.user_id
           LEFT JOIN service_accounts a ON a.id = t.service_account_id
          WHERE t.token_hash = $1 AND t.instance_id = $2`,
        [hash, p.instanceId],
      );
      if (res.rowCount !== 1) throw new Error('the baseline lookup found no token');
    };
    try {
      await loops(config.connections, config.warmupSec, lookup);
      baselines.postgresPerSec = await loops(config.connections, config.durationSec, lookup);
    } finally {
      await pool.end();
    }

    const redis = new Redis(backends.redisUrl);
    const key = `idgwbench-introspect:${process.pid}`;
    try {
      await redis.set(key, p.token, 'EX', 600);
      const get = async (): Promise<void> => {
        if ((await redis.get(key)) === null) throw new Error('the baseline key vanished');
      };
      await loops(config.connections, config.warmupSec, get);
      baselines.redisPerSec = await loops(config.connections, config.durationSec, get);
    } finally {
      await redis.del(key);
      redis.disconnect();
    }
  }

  const library = await measureLibraryVerification(
    {
      issuer: gw.issuer(INSTANCE),
      audience: `${gw.origin(INSTANCE)}/api/domain`,
      introspection: { clientId: p.clientId, clientSecret: p.clientSecret },
      tokens: p.tokens,
      subject: p.userId,
    },
    config,
  );
  return { ...partial, ...baselines, library };
}

const ratio = (value: number, base?: number): string => (base ? fixed(value / base, 2) : '-');
const baselineFigure = (perSec?: number): string => (perSec ? fixed(perSec) : 'n/a (embedded)');

export function printIntrospection(r: IntrospectionBenchResult): void {
  const { library } = r;
  const { uncached, cached, lru } = library;
  console.log('\nINTROSPECTION (personal access token, uncached: every verification reads Postgres)');
  console.log(
    textTable(
      ['measure', 'per s', 'introspections', 'CPU µs each', '÷ Postgres', '÷ Redis'],
      [
        [
          'gateway /connect/introspect (HTTP load)',
          fixed(r.gatewayPerSec),
          '',
          '',
          ratio(r.gatewayPerSec, r.postgresPerSec),
          ratio(r.gatewayPerSec, r.redisPerSec),
        ],
        [
          'library verify, cache off (cacheTtlMs 0)',
          fixed(uncached.verificationsPerSec),
          String(uncached.introspections),
          fixed(uncached.cpuUsEach, 0),
          ratio(uncached.verificationsPerSec, r.postgresPerSec),
          ratio(uncached.verificationsPerSec, r.redisPerSec),
        ],
        ['Postgres lookup by hash (baseline)', baselineFigure(r.postgresPerSec), '', '', '', ''],
        ['Redis GET (baseline)', baselineFigure(r.redisPerSec), '', '', '', ''],
      ],
    ),
  );
  console.log(`gateway p99 ${fixed(r.gatewayP99Ms)} ms; non-200 or errors: ${r.notOk}`);
  console.log(
    `\nINTROSPECTION through the resource-server library, cache warm (cacheTtlMs ${library.cacheTtlMs}, ` +
      `in-process, ${library.inFlight} tokens in flight)`,
  );
  console.log(
    textTable(
      ['measure', 'per s', 'introspections', 'CPU µs each', '÷ LRU get'],
      [
        [
          'library verify, cache warm',
          fixed(cached.verificationsPerSec),
          String(cached.introspections),
          fixed(cached.cpuUsEach, 2),
          ratio(cached.verificationsPerSec, lru.lookupsPerSec),
        ],
        ['SHA-256 + lru-cache get (baseline)', fixed(lru.lookupsPerSec), '', fixed(lru.cpuUsEach, 2), '1.00'],
      ],
    ),
  );
  console.log(
    '  introspections: requests the library sent while measured; CPU µs each: this process (the library\n' +
      `    and its HTTP client), all threads. Cache warm ÷ cache off: ${ratio(cached.verificationsPerSec, uncached.verificationsPerSec)}`,
  );
}
