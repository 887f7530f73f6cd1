import Redis from 'ioredis';
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
  /** The gateway's own database and Redis (for baselines next to it); absent in embedded mode. */
  backends?: { databaseUrl: string; redisUrl: string };
  /** Stops the gateway, drops the database, deletes the prefix's keys; returns what failed. */
  dispose(): Promise<string[]>;
}

type StackConfig = Pick<BenchConfig, 'backends' | 'databaseUrl' | 'redisUrl' | 'gatewayLogLevel'>;

export function startGatewayStack(config: StackConfig): Promise<GatewayStack> {
  return config.backends === 'embedded'
    ? startEmbeddedStack(config.gatewayLogLevel)
    : startSharedStack(config.databaseUrl, config.redisUrl, config.gatewayLogLevel);
}

const gatewayEnv = (logLevel?: string): Record<string, string> => (logLevel ? { LOG_LEVEL: logLevel } : {});

async function startEmbeddedStack(logLevel?: string): Promise<GatewayStack> {
  const gw = await GatewayProcess.start({
    entry: process.env.BENCH_GATEWAY_ENTRY,
    env: gatewayEnv(logLevel),
  });
  return {
    gw,
    dispose: async () => {
      try {
        await gw.dispose();
        return [];
      } catch (err) {
        return [`stop gateway: ${(err as Error).message}`];
      }
    },
  };
}

async function startSharedStack(
  databaseUrl: string,
  redisUrl: string,
  logLevel?: string,
): Promise<GatewayStack> {
  // test-backends reads DATABASE_URL at import time; the benchmark has a default of its own.
  testBackends.postgresUrl ??= databaseUrl;
  const database = await createTestDatabase('idgw_bench');
  const redisKeyPrefix = uniqueKeyPrefix('idgwbench');
  let gw: GatewayProcess;
  try {
    gw = await GatewayProcess.start({
      databaseUrl: database.url,
      redisUrl,
      redisKeyPrefix,
      entry: process.env.BENCH_GATEWAY_ENTRY,
      env: gatewayEnv(logLevel),
    });
  } catch (err) {
    await database.drop().catch(() => undefined);
    throw err;
  }

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
    await attempt('stop gateway', () => gw.dispose());
    await attempt('drop database', () => database.drop());
    await attempt('delete redis keys', () => deleteRedisKeys(redisUrl, redisKeyPrefix));
    return failures;
  };
  return { gw, backends: { databaseUrl: database.url, redisUrl }, dispose };
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
