import type { Level, Logger } from 'pino';
import type { RouteLabel } from '../http/route-label';

/** Paths are logged, but a client must not be able to write kilobytes per line. */
const MAX_PATH = 256;

/**
 * Everything a request line says. Deliberately no headers (credentials, cookies), query strings
 * (codes, tokens, state) or bodies (secrets, passwords): nothing here can carry a secret, which is
 * why request lines skip the redaction pass the other logs go through.
 */
export interface RequestLine {
  reqId: string;
  instance: string | undefined;
  route: RouteLabel;
  method: string | undefined;
  /** The path without query string (see pathOf). */
  path: string;
  statusCode: number;
  durationMs: number;
  /** False when the connection closed before the response was complete. */
  finished: boolean;
}

/** Probes and scrapes come every few seconds: only worth a line when they fail. */
const QUIET_ROUTES: ReadonlySet<RouteLabel> = new Set(['health', 'metrics']);

export function requestLineLevel(line: RequestLine): Level {
  if (!line.finished) return 'warn';
  if (QUIET_ROUTES.has(line.route)) return line.statusCode < 400 ? 'debug' : 'warn';
  return line.statusCode >= 500 ? 'error' : 'info';
}

/** Writes one line when a request ends: request id, instance, route, status and duration. */
export function writeRequestLine(logger: Logger, line: RequestLine): void {
  const level = requestLineLevel(line);
  if (!logger.isLevelEnabled(level)) return;
  logger[level](
    {
      reqId: line.reqId,
      instance: line.instance,
      route: line.route,
      req: { method: line.method, path: line.path.slice(0, MAX_PATH) },
      res: { statusCode: line.statusCode },
      durationMs: line.durationMs,
    },
    line.finished ? 'request completed' : 'request aborted',
  );
}
