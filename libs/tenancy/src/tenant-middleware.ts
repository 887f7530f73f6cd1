import { Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedTenant, TenantResolution } from './tenant-resolver';
import { TenantResolver } from './tenant-resolver';

// A symbol-keyed property rather than a WeakMap: a WeakMap entry per request costs a hash insert
// and ephemeron work in every garbage collection, on the token endpoint's hot path.
const TENANT = Symbol('tenant');

interface TenantRequest extends IncomingMessage {
  [TENANT]?: ResolvedTenant;
}

/**
 * Gives a new request its (empty) tenant slot, for a request class that creates every property the
 * gateway sets on a request up front (see apps/gateway/src/gateway-request.ts).
 */
export function reserveTenantSlot(req: IncomingMessage): void {
  (req as TenantRequest)[TENANT] = undefined;
}

/** The tenant the public listener resolved for this request. */
export function tenantOf(req: IncomingMessage): ResolvedTenant | undefined {
  return (req as TenantRequest)[TENANT];
}

function sendJson(res: ServerResponse, status: number, body: Record<string, string>): void {
  const payload = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.end(payload);
}

/** Public-listener middleware: every request belongs to exactly one active instance, or is answered here. */
@Injectable()
export class TenantMiddleware {
  private readonly logger = new Logger(TenantMiddleware.name);

  constructor(private readonly resolver: TenantResolver) {}

  readonly handle = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void => {
    const fail = (err: unknown): void => {
      this.logger.error(`tenant resolution failed: ${(err as Error).message}`);
      res.setHeader('Retry-After', '5');
      sendJson(res, 503, {
        error: 'temporarily_unavailable',
        error_description: 'instance registry unavailable',
      });
    };
    let result: TenantResolution | Promise<TenantResolution>;
    try {
      result = this.resolver.resolve(req);
    } catch (err) {
      fail(err);
      return;
    }
    if (result instanceof Promise) result.then((r) => answer(req, res, next, r), fail);
    else answer(req, res, next, result);
  };
}

function answer(
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
  result: TenantResolution,
): void {
  switch (result.outcome) {
    case 'resolved':
      (req as TenantRequest)[TENANT] = result.tenant;
      next();
      return;
    case 'bad-host':
      sendJson(res, 400, {
        error: 'invalid_request',
        error_description: 'missing or malformed Host header',
      });
      return;
    case 'unknown':
      sendJson(res, 404, {
        error: 'unknown_instance',
        error_description: 'no instance is served at this host',
      });
      return;
    case 'suspended':
      res.setHeader('Retry-After', '3600');
      sendJson(res, 503, {
        error: 'instance_suspended',
        error_description: `instance ${result.tenant.instance.name} is suspended`,
      });
      return;
  }
}
