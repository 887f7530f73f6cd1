import { tenantOf } from '@erp-id/tenancy';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Level, Logger } from 'pino';
import type { Options } from 'pino-http';
import { pathOf, type RouteLabel } from '../http/route-label';

/** pino-http's stand-in error for a 5xx response that carried no error of its own. */
const INVENTED_ERROR = /^failed with status code \d+$/;

/** Paths are logged, but a client must not be able to write kilobytes per line. */
const MAX_PATH = 256;

/**
 * What a request line says about the request: method and path. Never headers (credentials,
 * cookies), query strings (codes, tokens, state) or bodies (secrets, passwords).
 */
function requestSummary(req: IncomingMessage): { method: string | undefined; path: string } {
  return { method: req.method, path: pathOf(req.url).slice(0, MAX_PATH) };
}

/** And about the response: its status only (headers carry cookies and redirect URLs with codes). */
function responseSummary(res: ServerResponse): { statusCode: number } {
  return { statusCode: res.statusCode };
}

/**
 * pino-http settings for the gateway's request lines: one line per request when its response ends,
 * with the request id, instance, bounded route label, status and duration.
 */
export function requestLogOptions(logger: Logger, routeOf: (req: IncomingMessage) => RouteLabel): Options {
  const context = (req: IncomingMessage) => ({
    instance: tenantOf(req)?.instance.name,
    route: routeOf(req),
  });
  return {
    logger,
    // Logs written while serving a request carry its id only; the request itself is on the final line.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'reqId', responseTime: 'durationMs' },
    // The serializers get the raw request and response, not pino's header-carrying summaries.
    wrapSerializers: false,
    serializers: { req: requestSummary, res: responseSummary },
    customLogLevel: (req: IncomingMessage, res: ServerResponse, err?: Error): Level => {
      const route = routeOf(req);
      // Probes and scrapes come every few seconds: only worth a line when they fail.
      if (route === 'health' || route === 'metrics') return res.statusCode < 400 ? 'debug' : 'warn';
      return err || res.statusCode >= 500 ? 'error' : 'info';
    },
    customSuccessObject: (req: IncomingMessage, _res: ServerResponse, value: Record<string, unknown>) => ({
      ...value,
      ...context(req),
    }),
    customErrorObject: (
      req: IncomingMessage,
      _res: ServerResponse,
      err: Error,
      value: Record<string, unknown>,
    ) => {
      // For a plain 5xx, pino-http invents an error whose stack is its own; the status says it all.
      const line: Record<string, unknown> = { ...value, ...context(req) };
      if (INVENTED_ERROR.test(err.message)) delete line.err;
      return line;
    },
  };
}
