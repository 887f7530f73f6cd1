import { Inject, Injectable } from '@nestjs/common';
import { tenantOf } from '@erp-id/tenancy';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROOT_LOGGERS } from '../logging/root-logger.module';
import type { RootLoggers } from '../logging/root-logger';
import { recordHttpRequest, statusClass } from '../metrics/gateway-metrics';
import { requestIdFrom } from './request-id';
import { type ListenerName, pathOf, routeLabel } from './route-label';

export type RequestMiddleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** The gateway's way of telling which listener a request came in on. */
export type ListenerOf = (req: IncomingMessage) => ListenerName | undefined;

/**
 * Request id, request line and request metrics for every request of both listeners. Plain
 * middleware for the front of the Express stack, because `/id/...` is answered by the issuer
 * before Nest's router (and Nest middleware) ever sees it.
 */
@Injectable()
export class RequestObserver {
  constructor(@Inject(ROOT_LOGGERS) private readonly loggers: RootLoggers) {}

  middleware(listenerOf: ListenerOf): RequestMiddleware {
    const { requests } = this.loggers;
    return (req, res, next) => {
      const started = performance.now();
      // Labelled on arrival: routers rewrite `req.url` (the `/id` mount strips its prefix) on the way.
      const route = routeLabel(listenerOf(req), req.url);
      const method = req.method;
      const path = pathOf(req.url);
      const reqId = requestIdFrom(req.headers['x-request-id']);
      res.setHeader('X-Request-Id', reqId);
      req.id = reqId;
      // `close` follows every response, finished or cut off.
      res.on('close', () => {
        const durationMs = performance.now() - started;
        const finished = res.writableFinished;
        const instance = tenantOf(req)?.instance.name;
        recordHttpRequest(instance, route, statusClass(res.statusCode, finished), durationMs / 1000);
        requests.write({
          reqId,
          instance,
          route,
          method,
          path,
          statusCode: res.statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
          finished,
        });
      });
      next();
    };
  }

  /**
   * For requests Nest serves (not the issuer's): a logger carrying the request id as `req.log`,
   * which nestjs-pino binds so Nest's logs during the request say which request they belong to.
   */
  requestLogger(): RequestMiddleware {
    const { root } = this.loggers;
    return (req, _res, next) => {
      req.log = root.child({ reqId: req.id });
      next();
    };
  }
}
