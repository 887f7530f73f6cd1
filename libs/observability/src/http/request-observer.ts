import { Inject, Injectable } from '@nestjs/common';
import { tenantOf } from '@erp-id/tenancy';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { ROOT_LOGGER } from '../logging/root-logger.module';
import { requestLogOptions } from '../logging/request-log-options';
import { recordHttpRequest, statusClass } from '../metrics/gateway-metrics';
import { requestIdFrom } from './request-id';
import { type ListenerName, type RouteLabel, routeLabel } from './route-label';

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
  // Labelled on arrival: routers rewrite `req.url` (the `/id` mount strips its prefix) on the way.
  private readonly routes = new WeakMap<IncomingMessage, RouteLabel>();

  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  middleware(listenerOf: ListenerOf): RequestMiddleware {
    const routeOf = (req: IncomingMessage): RouteLabel => this.routes.get(req) ?? 'other';
    const logRequest = pinoHttp(requestLogOptions(this.logger, routeOf));
    return (req, res, next) => {
      const started = process.hrtime.bigint();
      const route = routeLabel(listenerOf(req), req.url);
      this.routes.set(req, route);
      req.id = requestIdFrom(req.headers['x-request-id']);
      res.setHeader('X-Request-Id', req.id);
      // `close` follows every response, finished or cut off.
      res.once('close', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const status = statusClass(res.statusCode, res.writableFinished);
        recordHttpRequest(tenantOf(req)?.instance.name, route, status, seconds);
      });
      logRequest(req, res, next);
    };
  }
}
