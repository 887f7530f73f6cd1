import { Injectable, Logger } from '@nestjs/common';
import { tenantOf } from '@erp-id/tenancy';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeIssuerBuildFailure, ISSUER_RETRY_AFTER_SECONDS } from './issuer-build-failure';
import { IssuerPool, type PooledIssuer } from './issuer-pool';
import { prepareIssuerRequest } from './issuer-request';
import { INTERACTION_PREFIX } from './issuer-routes';

/**
 * Hands `/id/...` requests to the instance's issuer. Mounted at `/id` before Nest's router and
 * without a body parser: oidc-provider parses its own bodies. Sign-in pages under
 * `/id/interaction/` fall through to the gateway's own controllers.
 */
@Injectable()
export class IssuerRequestHandler {
  private readonly logger = new Logger(IssuerRequestHandler.name);

  constructor(private readonly pool: IssuerPool) {}

  readonly handle = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void => {
    const tenant = tenantOf(req);
    if (!tenant || req.url?.startsWith(INTERACTION_PREFIX)) {
      next();
      return;
    }
    prepareIssuerRequest(req, tenant);
    const issuer = this.pool.get(tenant.instance, tenant.origin.origin);
    if (!(issuer instanceof Promise)) {
      issuer.handle(req, res);
      return;
    }
    issuer.then(
      (ready: PooledIssuer) => ready.handle(req, res),
      (err: unknown) => {
        this.logger.error(describeIssuerBuildFailure(tenant.instance.name, err));
        const body = JSON.stringify({
          error: 'temporarily_unavailable',
          error_description: 'identity server unavailable',
        });
        res.statusCode = 503;
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Retry-After', String(ISSUER_RETRY_AFTER_SECONDS));
        res.end(body);
      },
    );
  };
}
