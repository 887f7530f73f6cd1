import { createHash } from 'node:crypto';
import autocannon from 'autocannon';
import Redis from 'ioredis';
import { Pool } from 'pg';
import type { GatewayProcess } from '../../support/gateway-process';
import { introspect } from '../../support/token-requests';
import type { BenchConfig } from '../bench-config';
import { fixed, textTable } from '../text-table';

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
}

interface Provisioned {
  token: string;
  instanceId: string;
  clientId: string;
  clientSecret: string;
}

async function provision(gw: GatewayProcess): Promise<Provisioned> {
  const instance = await gw.admin<{ id: string }>('POST', '/instances', { name: INSTANCE });
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
  const token = await gw.admin<{ token: string }>('POST', `/instances/${INSTANCE}/reference-tokens`, {
    kind: 'personal',
    subject: user.body.id,
    scopes: ['read'],
  });
  if (token.status !== 201) throw new Error(`token: ${token.status}`);
  return { token: token.body.token, instanceId: instance.body.id, ...client.body };
}

/** `connections` loops running `op` back to back for `durationSec`; operations per second. */
async function loops(connections: number, durationSec: number, op: () => Promise<void>): Promise<number> {
  const deadline = Date.now() + durationSec * 1000;
  const started = Date.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) {
        await op();
        done++;
      }
    }),
  );
  return done / ((Date.now() - started) / 1000);
}

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
 * There is no cache of reference tokens (a revocation must hold on every replica at once), so the
 * gateway figure is the uncached one.
 */
export async function measureIntrospection(
  gw: GatewayProcess,
  backends: SharedBackends | undefined,
  config: BenchConfig,
): Promise<IntrospectionBenchResult> {
  const p = await provision(gw);
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
  const result: IntrospectionBenchResult = {
    gatewayPerSec: ok / config.durationSec,
    gatewayP99Ms: run.latency.p99,
    notOk,
  };

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
      result.postgresPerSec = await loops(config.connections, config.durationSec, lookup);
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
      result.redisPerSec = await loops(config.connections, config.durationSec, get);
    } finally {
      await redis.del(key);
      redis.disconnect();
    }
  }
  return result;
}

export function printIntrospection(r: IntrospectionBenchResult): void {
  const ratio = (base?: number): string => (base ? fixed(r.gatewayPerSec / base, 2) : '-');
  console.log('\nINTROSPECTION (personal access token, uncached: every answer reads Postgres)');
  console.log(
    textTable(
      ['measure', 'per s', 'gateway ÷ this'],
      [
        ['gateway /connect/introspect', fixed(r.gatewayPerSec), '1.00'],
        [
          'Postgres lookup by hash (baseline)',
          r.postgresPerSec ? fixed(r.postgresPerSec) : 'n/a (embedded)',
          ratio(r.postgresPerSec),
        ],
        [
          'Redis GET (baseline)',
          r.redisPerSec ? fixed(r.redisPerSec) : 'n/a (embedded)',
          ratio(r.redisPerSec),
        ],
      ],
    ),
  );
  console.log(`gateway p99 ${fixed(r.gatewayP99Ms)} ms; non-200 or errors: ${r.notOk}`);
}
