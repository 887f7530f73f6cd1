import { Controller, Get, Header, NotFoundException, Req } from '@nestjs/common';
import { tenantOf } from '@erp-id/tenancy';
import type { Request } from 'express';
import { type AutoDiscoveryDocument, buildAutoDiscovery } from './auto-discovery';

/** `GET /sys/auto-discovery` on an instance host: where its identity server and APIs are. */
@Controller('sys')
export class AutoDiscoveryController {
  @Get('auto-discovery')
  @Header('Cache-Control', 'public, max-age=60')
  get(@Req() req: Request): AutoDiscoveryDocument {
    const tenant = tenantOf(req);
    if (!tenant) throw new NotFoundException();
    return buildAutoDiscovery(tenant.origin.origin, tenant.instance.sites);
  }
}
