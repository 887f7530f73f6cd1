import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { GatewayConfig } from '@erp-id/config';
import { BoundedMemo } from './bounded-memo';
import { isCustomDomainName, isUnderBaseDomain } from './custom-domain-name';
import { CustomDomainRegistry } from './custom-domain-registry';
import { InstanceRegistry } from './instance-registry';
import type { InstanceRecord } from './instance-record';
import { isValidInstanceName } from './instance-name';
import { type RequestOrigin, RequestOriginReader } from './request-origin';

export interface ResolvedTenant {
  origin: RequestOrigin;
  instance: InstanceRecord;
}

/** Host names whose meaning (see {@link HostName}) is remembered. */
const MAX_REMEMBERED_NAMES = 10_000;

/**
 * What a host name can stand for, decided from the name alone: an instance name (or nothing) under
 * the base domain, a custom domain to look up, or nothing at all.
 */
type HostName = { instance: string | null } | 'custom-domain';

export type TenantResolution =
  | { outcome: 'resolved'; tenant: ResolvedTenant }
  | { outcome: 'bad-host' }
  | { outcome: 'unknown' }
  | { outcome: 'suspended'; tenant: ResolvedTenant };

/**
 * Request → instance, from the one trusted host (port ignored): `<name>.<BASE_DOMAIN>`, or a custom
 * domain registered for an instance. Either way the instance is served at the host it was asked
 * for, so its issuer is that host's (`<origin>/id`).
 */
@Injectable()
export class TenantResolver {
  private readonly origins: RequestOriginReader;
  private readonly baseDomain: string;
  private readonly suffix: string;
  /** What each host name stands for: decided once per name, not on every request. */
  private readonly hostNames = new BoundedMemo(MAX_REMEMBERED_NAMES, (hostname) => this.classify(hostname));

  constructor(
    config: GatewayConfig,
    private readonly registry: InstanceRegistry,
    private readonly domains: CustomDomainRegistry,
  ) {
    this.origins = new RequestOriginReader(config.trustedProxies);
    this.baseDomain = config.baseDomain;
    this.suffix = `.${config.baseDomain}`;
  }

  instanceNameFor(hostname: string): string | null {
    if (!hostname.endsWith(this.suffix)) return null;
    const label = hostname.slice(0, -this.suffix.length);
    return isValidInstanceName(label) ? label : null;
  }

  /**
   * Answers without waiting when the instance is cached (every request but an instance's first):
   * a promise per request would cost the token endpoint a few microseconds for nothing.
   */
  resolve(req: IncomingMessage): TenantResolution | Promise<TenantResolution> {
    const origin = this.origins.read(req);
    if (!origin) return { outcome: 'bad-host' };
    const name = this.instanceNameOf(origin.hostname);
    return name instanceof Promise
      ? name.then((n) => this.resolveName(origin, n))
      : this.resolveName(origin, name);
  }

  private resolveName(
    origin: RequestOrigin,
    name: string | null,
  ): TenantResolution | Promise<TenantResolution> {
    if (!name) return { outcome: 'unknown' };
    const cached = this.registry.cached(name);
    if (cached !== undefined) return outcomeFor(origin, cached);
    return this.registry.find(name).then((instance) => outcomeFor(origin, instance));
  }

  private instanceNameOf(hostname: string): Promise<string | null> | string | null {
    const meaning = this.hostNames.get(hostname);
    return meaning === 'custom-domain' ? this.domains.instanceNameFor(hostname) : meaning.instance;
  }

  private classify(hostname: string): HostName {
    // Hosts under the base domain are instance names or nothing: custom domains never live there.
    if (isUnderBaseDomain(hostname, this.baseDomain)) return { instance: this.instanceNameFor(hostname) };
    // IP literals and single labels cannot be registered, so they never cost a lookup.
    return isCustomDomainName(hostname) ? 'custom-domain' : { instance: null };
  }
}

function outcomeFor(origin: RequestOrigin, instance: InstanceRecord | null): TenantResolution {
  if (!instance) return { outcome: 'unknown' };
  const tenant = { origin, instance };
  return instance.status === 'active' ? { outcome: 'resolved', tenant } : { outcome: 'suspended', tenant };
}
