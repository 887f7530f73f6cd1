import { Injectable } from '@nestjs/common';
import { GatewayConfig } from '@erp-id/config';
import { RequestOriginReader } from '@erp-id/tenancy';
import type { IncomingMessage } from 'node:http';

/** The address an admin API call comes from: the peer, or what a proxy in `TRUSTED_PROXIES` reports. */
@Injectable()
export class AdminCaller {
  private readonly origins: RequestOriginReader;

  constructor(config: GatewayConfig) {
    this.origins = new RequestOriginReader(config.trustedProxies);
  }

  addressOf(req: IncomingMessage): string | undefined {
    return this.origins.read(req)?.clientIp ?? req.socket.remoteAddress;
  }
}
