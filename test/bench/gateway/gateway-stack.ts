import Redis from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayProcess } from '../../support/gateway-process';
import { deleteKeysWithPrefix } from '../../support/redis-test-prefix';
import type { BenchConfig } from '../bench-config';
import { createTestDatabase, testBackends, uniqueKeyPrefix } from '../../support/test-backends';

/**
 * A gateway on real Postgres (a database of its own) and real Redis (a key prefix of its own), or
 * on the embedded defaults (PGlite in a temporary data folder, the in-process store).
 */
export interface GatewayStack {
  gw: GatewayProcess;
  /**
   * Starts a second gateway process on the same Postgres database and Redis prefix, as another
   * replica of a deployment; undefined on the embedded backends, whose state one process owns.
   * `dispose` stops it too.
   */
  startReplica?: () => Promise<GatewayProcess>;
  /** The gateway's own database and Redis (for baselines next to it); absent in embedded mode. */
  backends?: { databaseUrl: string; redisUrl: string };
  /** Stops the gateway(s), drops the database, deletes the prefix's keys; returns what failed. */
  dispose(): Promise<string[]>;
}

type StackConfig = Pick<
  BenchConfig,
  'backends' | 'databaseUrl' | 'redisUrl' | 'gatewayLogLevel' | 'serverNodeArgs'
>;

/** `env`: extra environment of the first gateway only (not of replicas). */
export function startGatewayStack(
  config: StackConfig,
  env: Record<string, string> = {},
): Promise<GatewayStack> {
  const gatewayEnv = { ...(config.gatewayLogLevel ? { LOG_LEVEL: config.gatewayLogLevel } : {}) };
  return config.backends === 'embedded'
    ? startEmbeddedStack({ ...gatewayEnv, ...env }, config.serverNodeArgs)
    : startSharedStack(config, gatewayEnv, env);
}

/**
 * Gateways write a line per request: to files, so reading them costs the load generator (this
 * process) nothing. One folder per stack, removed with it.
 */
function logFolder(): { file(name: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'idgw-bench-log-'));
  return {
    file: (name) => join(dir, `${name}.log`),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function startEmbeddedStack(
  env: Record<string, string>,
  nodeArgs: readonly string[],
): Promise<GatewayStack> {
  const logs = logFolder();
  const gw = await GatewayProcess.start({
    entry: process.env.BENCH_GATEWAY_ENTRY,
    env,
    nodeArgs,
    logFile: logs.file('gateway'),
  }).catch((err: unknown) => {
    logs.remove();
    throw err;
  });
  return {
    gw,
    dispose: async () => {
      try {
        await gw.dispose();
        return [];
      } catch (err) {
        return [`stop gateway: ${(err as Error).message}`];
      } finally {
        logs.remove();
      }
    },
  };
}

async function startSharedStack(
  { databaseUrl, redisUrl, serverNodeArgs }: StackConfig,
  gatewayEnv: Record<string, string>,
  firstGatewayEnv: Record<string, string>,
): Promise<GatewayStack> {
  // test-backends reads DATABASE_URL at import time; the benchmark has a default of its own.
  testBackends.postgresUrl ??= databaseUrl;
  const database = await createTestDatabase('idgw_bench');
  const redisKeyPrefix = uniqueKeyPrefix('idgwbench');
  const logs = logFolder();
  const startGateway = (env: Record<string, string>, name: string): Promise<GatewayProcess> =>
    GatewayProcess.start({
      databaseUrl: database.url,
      redisUrl,
      redisKeyPrefix,
      entry: process.env.BENCH_GATEWAY_ENTRY,
      env,
      nodeArgs: serverNodeArgs,
      logFile: logs.file(name),
    });
  let gw: GatewayProcess;
  try {
    gw = await startGateway({ ...gatewayEnv, ...firstGatewayEnv }, 'gateway');
  } catch (err) {
    await database.drop().catch(() => undefined);
    logs.remove();
    throw err;
  }

  const replicas: GatewayProcess[] = [];
  const startReplica = async (): Promise<GatewayProcess> => {
    const replica = await startGateway(gatewayEnv, `replica-${replicas.length + 1}`);
    replicas.push(replica);
    return replica;
  };

  const dispose = async (): Promise<string[]> => {
    const failures: string[] = [];
    const attempt = async (what: string, step: () => Promise<unknown>): Promise<void> => {
      try {
        await step();
      } catch (err) {
        failures.push(`${what}: ${(err as Error).message}`);
      }
    };
    // The gateway first, so nothing writes keys or holds connections while they are removed.
    for (const replica of replicas) await attempt('stop replica', () => replica.dispose());
    await attempt('stop gateway', () => gw.dispose());
    await attempt('drop database', () => database.drop());
    await attempt('delete redis keys', () => deleteRedisKeys(redisUrl, redisKeyPrefix));
    logs.remove();
    return failures;
  };
  return { gw, startReplica, backends: { databaseUrl: database.url, redisUrl }, dispose };
}

async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    await deleteKeysWithPrefix(client, prefix);
  } finally {
    client.disconnect();
  }
}
