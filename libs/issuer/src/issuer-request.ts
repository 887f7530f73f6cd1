import type { ResolvedTenant } from '@erp-id/tenancy';
import type { IncomingMessage } from 'node:http';

/**
 * The provider builds every URL it advertises, and decides on `Secure` cookies, from these headers.
 * They are rewritten from the one trusted origin before any provider code sees the request.
 */
export function prepareIssuerRequest(req: IncomingMessage, tenant: ResolvedTenant): void {
  req.headers['x-forwarded-host'] = tenant.origin.host;
  req.headers['x-forwarded-proto'] = tenant.origin.scheme;
  req.headers['x-forwarded-for'] = tenant.origin.clientIp;
}
