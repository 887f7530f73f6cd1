import { Logger } from '@nestjs/common';
import Redis, { type RedisOptions } from 'ioredis';

/** Injection token for the one shared ioredis client; `null` in embedded mode. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** What `REDIS_CLIENT` resolves to. */
export type OptionalRedisClient = Redis | null;

const logger = new Logger('Redis');

/**
 * Every request of every instance goes through this client, so an outage must turn into fast
 * errors rather than requests that hang:
 * - the offline queue stays on, so commands issued while the first connection (or a failover)
 *   completes are sent once it is ready instead of failing during a blip;
 * - but a queued command is failed after two reconnect attempts (about 0.3 s when the server
 *   refuses connections, a few seconds when it is unreachable);
 * - a connected server that stops answering fails commands after `commandTimeout`.
 */
const CLIENT_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: 2,
  enableOfflineQueue: true,
  connectTimeout: 3_000,
  commandTimeout: 3_000,
  retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
};

/** Creates a client from a `redis://` or `rediss://` URL (TLS for the latter). */
export function createRedisClient(url: string, connectionName = 'idgw'): Redis {
  const client = new Redis(url, { ...CLIENT_OPTIONS, connectionName });
  reportConnectionState(client, connectionName);
  return client;
}

/**
 * A dedicated connection for SUBSCRIBE (a subscribed connection cannot run other commands).
 * It waits for the server as long as it takes and resubscribes after a reconnect, because a
 * missed subscription only delays cache invalidation while a failed one would stop it for good.
 * The caller owns it and must `quit()` it.
 */
export function duplicateForSubscribe(client: Redis): Redis {
  const connectionName = `${client.options.connectionName ?? 'idgw'}-sub`;
  const subscriber = client.duplicate({
    connectionName,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    commandTimeout: undefined,
    autoResubscribe: true,
  });
  reportConnectionState(subscriber, connectionName);
  return subscriber;
}

/**
 * ioredis emits an error for every failed reconnect and prints it to stderr when nobody listens;
 * log the first error of an outage and the recovery instead.
 */
function reportConnectionState(client: Redis, name: string): void {
  let failing = false;
  client.on('error', (error: Error) => {
    if (failing) return;
    failing = true;
    logger.warn(`${name}: ${error.message}`);
  });
  client.on('ready', () => {
    if (!failing) return;
    failing = false;
    logger.log(`${name}: connection restored`);
  });
}
