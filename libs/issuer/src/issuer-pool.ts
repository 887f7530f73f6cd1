import { Inject, Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { GatewayConfig } from '@erp-id/config';
import { InstanceRegistry, type InstanceRecord } from '@erp-id/tenancy';
import { LRUCache } from 'lru-cache';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { performance } from 'node:perf_hooks';
import { ISSUER_OBSERVER, type IssuerObserver } from './issuer-observer';
import { ProviderFactory } from './provider-factory';

export interface PooledIssuer {
  readonly provider: Provider;
  readonly instanceName: string;
  readonly version: number;
  /** The provider's request handler, created once per build. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface IssuerPoolStats {
  size: number;
  builds: number;
  evictions: number;
}

/**
 * Warm issuers by origin (an instance may be reached at several hosts, each its own issuer).
 * LRU with a size cap and an idle TTL; concurrent first requests share one build; a rejected build
 * is forgotten so the next request retries. An evicted issuer is only dereferenced: requests
 * already inside it finish normally.
 */
@Injectable()
export class IssuerPool implements OnModuleInit, OnModuleDestroy {
  private readonly warm: LRUCache<string, PooledIssuer>;
  private readonly sweepEveryMs: number;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly building = new Map<string, Promise<PooledIssuer>>();
  private readonly stats = { builds: 0, evictions: 0 };

  constructor(
    private readonly factory: ProviderFactory,
    private readonly registry: InstanceRegistry,
    config: GatewayConfig,
    @Optional() @Inject(ISSUER_OBSERVER) private readonly observer?: IssuerObserver,
  ) {
    this.warm = new LRUCache<string, PooledIssuer>({
      max: config.issuerPoolMax,
      ttl: config.issuerIdleMs,
      updateAgeOnGet: true,
      // Idle issuers are swept on a timer (onModuleInit): lru-cache's autopurge would replace a
      // timer on every get, i.e. on every token request.
      ttlAutopurge: false,
      dispose: (entry) => {
        this.stats.evictions += 1;
        this.observer?.issuerEvicted(entry.instanceName);
      },
    });
    // An idle issuer is released at most a quarter of its idle time late.
    this.sweepEveryMs = Math.min(Math.max(config.issuerIdleMs / 4, 10), 60_000);
  }

  onModuleInit(): void {
    this.registry.onInvalidate((name) => this.drop(name));
    this.sweeper = setInterval(() => this.warm.purgeStale(), this.sweepEveryMs);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  get(instance: InstanceRecord, origin: string): Promise<PooledIssuer> | PooledIssuer {
    const hit = this.warm.get(origin);
    if (hit && hit.instanceName === instance.name && hit.version === instance.version) return hit;
    const key = `${origin}#${instance.version}`;
    let pending = this.building.get(key);
    if (!pending) {
      pending = this.build(instance, origin).finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    return pending;
  }

  /** Forgets every issuer of an instance (all its origins). */
  drop(instanceName: string): void {
    for (const [origin, entry] of this.warm.entries()) {
      if (entry.instanceName === instanceName) this.warm.delete(origin);
    }
  }

  snapshot(): IssuerPoolStats {
    return { size: this.warm.size, ...this.stats };
  }

  private async build(instance: InstanceRecord, origin: string): Promise<PooledIssuer> {
    const started = performance.now();
    const elapsed = () => ({ instanceName: instance.name, durationMs: performance.now() - started });
    let provider: Provider;
    try {
      provider = await this.factory.build(instance, origin);
    } catch (err) {
      this.observer?.buildFailed(elapsed());
      throw err;
    }
    // Before the provider serves anything, so listeners the observer attaches see every event.
    this.observer?.providerBuilt(provider, elapsed());
    const entry: PooledIssuer = {
      provider,
      instanceName: instance.name,
      version: instance.version,
      handle: provider.callback(),
    };
    this.stats.builds += 1;
    this.warm.set(origin, entry);
    return entry;
  }
}
