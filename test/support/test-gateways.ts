import { createRedisClient } from '@erp-id/state';
import { GatewayProcess, type GatewayOptions } from './gateway-process';
import { deleteKeysWithPrefix } from './redis-test-prefix';
import {
  createTestDatabase,
  testBackends,
  uniqueKeyPrefix,
  usingPostgres,
  usingSharedBackends,
} from './test-backends';

/** What a suite asks for; the options each process needs of its own (ports, data folder, log) are left out. */
export interface TestGatewayOptions extends Omit<
  GatewayOptions,
  'databaseUrl' | 'dataDir' | 'port' | 'adminPort' | 'logFile'
> {
  /** Prefix of the test database's name (used only with Postgres), so a leftover one names its suite. */
  database: string;
  /** Two replicas only on shared Postgres and Redis: embedded state belongs to one process. */
  replicas?: 1 | 2;
}

export interface TestGateways {
  /** The started processes, first to last; on embedded backends always one. */
  gateways: [GatewayProcess, ...GatewayProcess[]];
  /** The first process. */
  gw: GatewayProcess;
  /** Whether the processes share Postgres and Redis, i.e. whether a second replica was started. */
  shared: boolean;
  /** What every process was started with, to start another on the same database and key prefix. */
  options: GatewayOptions;
  /** Stops every process, drops the database and deletes the Redis keys; later calls wait for the first. */
  dispose(): Promise<void>;
}

/**
 * Starts a suite's gateways on the backends of this run: a fresh database when Postgres is configured,
 * one Redis key prefix shared by every replica. If a process fails to start, those already running are
 * stopped and the database dropped before the error is thrown.
 */
export async function startTestGateways({
  database,
  replicas = 1,
  ...gatewayOptions
}: TestGatewayOptions): Promise<TestGateways> {
  const shared = usingSharedBackends();
  const db = usingPostgres() ? await createTestDatabase(database) : undefined;
  const options: GatewayOptions = {
    databaseUrl: db?.url,
    redisUrl: testBackends.redisUrl,
    redisKeyPrefix: uniqueKeyPrefix(),
    ...gatewayOptions,
  };
  const started: GatewayProcess[] = [];
  let disposal: Promise<void> | undefined;
  const dropKeys =
    options.redisUrl && options.redisKeyPrefix
      ? redisKeyRemover(options.redisUrl, options.redisKeyPrefix)
      : undefined;
  const dispose = (): Promise<void> =>
    (disposal ??= stopAndDrop(started, async () => {
      await db?.drop();
      await dropKeys?.();
    }));
  const start = async (): Promise<GatewayProcess> => {
    const gw = await GatewayProcess.start(options);
    started.push(gw);
    return gw;
  };

  try {
    // One after the other: the first applies the migrations (development mode migrates at start,
    // without a lock).
    const gw = await start();
    const others = shared && replicas === 2 ? [await start()] : [];
    return { gateways: [gw, ...others], gw, shared, options, dispose };
  } catch (err) {
    // The start error is the one worth reading; a failed clean-up after it must not replace it.
    await dispose().catch(() => undefined);
    throw err;
  }
}

/** Deletes every key the suite's gateways wrote under their prefix (sessions, tokens, counters). */
function redisKeyRemover(url: string, prefix: string): () => Promise<void> {
  return async () => {
    const client = createRedisClient(url, 'idgw-test-cleanup');
    try {
      await deleteKeysWithPrefix(client, prefix);
    } finally {
      await client.quit();
    }
  };
}

/** Stops every process even when one fails to stop, then drops the database; throws the first failure. */
async function stopAndDrop(gateways: GatewayProcess[], drop?: () => Promise<void>): Promise<void> {
  const stopped = await Promise.allSettled(gateways.map((gw) => gw.dispose()));
  await drop?.();
  const failed = stopped.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
