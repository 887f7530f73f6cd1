import { reserveTenantSlot } from '@erp-id/tenancy';
import { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { reserveListenerSlot } from './listeners';

/**
 * The request class of both listeners. Every property the gateway later sets on a request (the
 * listener mark, the request id, the tenant, the `/id` mount's `originalUrl` and `baseUrl`) exists
 * from construction, always in this order. Added one by one along the way, each would move the
 * request to another hidden class, and the code that reads every request (node's http and stream
 * internals, Koa, oidc-provider) would meet several shapes where a bare provider meets one: its
 * property loads turn megamorphic, which the token benchmark showed as a lasting cost per request.
 */
export class GatewayRequest extends IncomingMessage {
  constructor(socket: Socket) {
    super(socket);
    reserveListenerSlot(this);
    this.id = '';
    reserveTenantSlot(this);
    const mount = this as { originalUrl?: string; baseUrl?: string };
    mount.originalUrl = undefined;
    mount.baseUrl = undefined;
  }
}
