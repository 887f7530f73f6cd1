import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { GatewayConfig } from '@erp-id/config';
import { InstanceRegistry } from './instance-registry';
import type { InstanceRecord } from './instance-record';
import { isValidInstanceName } from './instance-name';
import { type RequestOrigin, RequestOriginReader } from './request-origin';

export interface ResolvedTenant {
  origin: RequestOrigin;
  instance: InstanceRecord;
}

export type TenantResolution =
  | { outcome: 'resolved'; tenant: ResolvedTenant }
  | { outcome: 'bad-host' }
  | { outcome: 'unknown' }
  | { outcome: 'suspended'; tenant: ResolvedTenant };

/** Request → instance: `<name>.<BASE_DOMAIN>` (port ignored), from the one trusted host. */
@Injectable()
export class TenantResolver {
  private readonly origins: RequestOriginReader;
  private readonly suffix: string;

  constructor(
    config: GatewayConfig,
    private readonly registry: InstanceRegistry,
  ) {
    this.origins = new RequestOriginReader(config.trustedProxies);
    this.suffix = `.${config.baseDomain}`;
  }

  instanceNameFor(hostname: string): string | null {
    if (!hostname.endsWith(this.suffix)) return null;
    const label = hostname.slice(0, -this.suffix.length);
    return isValidInstanceName(label) ? label : null;
  }

  async resolve(req: IncomingMessage): Promise<TenantResolution> {
    const origin = this.origins.read(req);
    if (!origin) return { outcome: 'bad-host' };
    const name = this.instanceNameFor(origin.hostname);
    if (!name) return { outcome: 'unknown' };
    const instance = await this.registry.find(name);
    if (!instance) return { outcome: 'unknown' };
    const tenant = { origin, instance };
    return instance.status === 'active' ? { outcome: 'resolved', tenant } : { outcome: 'suspended', tenant };
  }
}
