import type { INestApplication, LoggerService } from '@nestjs/common';
import type { Server } from 'node:http';
import type { ConnectionDrain } from './connection-drain';

/** Under Kubernetes' default 30 s grace period, so the process exits on its own terms. */
export const SHUTDOWN_TIMEOUT_MS = 25_000;

// Connections that finish their last response during the drain become idle; close them promptly.
const IDLE_SWEEP_MS = 250;

export interface ShutdownPlan {
  app: INestApplication;
  /** Closed in this order: the admin listener keeps answering probes (503) while the public one drains. */
  servers: Server[];
  drain: ConnectionDrain;
  /** Marks the process as shutting down (readiness fails from then on). */
  markShuttingDown: () => void;
  logger: LoggerService;
  timeoutMs?: number;
}

/** Stops accepting connections and resolves once the requests in flight on this server are answered. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * On SIGTERM or SIGINT: unready at once, stop accepting, let in-flight requests finish, close the
 * application (Redis, Postgres), exit 0. A drain that does not finish in time exits 1.
 */
export function shutDownGracefullyOnSignals(plan: ShutdownPlan): void {
  const { app, servers, drain, logger } = plan;
  const timeoutMs = plan.timeoutMs ?? SHUTDOWN_TIMEOUT_MS;
  let closing = false;

  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    plan.markShuttingDown();
    drain.begin();
    logger.log(`${signal}: unready, draining in-flight requests`);
    setTimeout(() => {
      logger.error(`shutdown did not finish within ${timeoutMs / 1000} s: exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    try {
      for (const server of servers) await closeServer(server);
      await app.close();
      logger.log('shutdown complete');
      process.exit(0);
    } catch (err) {
      logger.error(`shutdown failed: ${(err as Error).message}`);
      process.exit(1);
    }
  };
  // `once`: a second signal gets Node's default and ends the process at once (a second Ctrl-C).
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
