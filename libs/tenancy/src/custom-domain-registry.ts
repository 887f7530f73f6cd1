import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CustomDomainEntity } from '@erp-id/persistence';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { InstanceRegistry } from './instance-registry';

const NEGATIVE_TTL_MS = 5_000;
/**
 * Known domains are re-read now and then even without a change message: the version check only
 * covers instances whose record is still cached, and a domain may outlive its instance's record.
 */
const POSITIVE_TTL_MS = 60_000;

/**
 * Custom domain → instance name, cached like instance records. Unknown domains are cached briefly
 * (hosts are attacker-controlled). The cache follows the instance registry's invalidations (change
 * channel and version check): when an instance changes, the domains it had are dropped, and so are
 * the unknown ones, since it may just have been given one of them.
 */
@Injectable()
export class CustomDomainRegistry implements OnModuleInit {
  private readonly domainsByInstance = new Map<string, Set<string>>();
  // Bounded by `maxSize` (one per entry) rather than `max`: lru-cache allocates `max` slots up front,
  // megabytes that a gateway with a handful of custom domains would carry for nothing.
  private readonly known = new LRUCache<string, string>({
    maxSize: 100_000,
    sizeCalculation: () => 1,
    ttl: POSITIVE_TTL_MS,
    dispose: (instanceName, domain) => this.unindex(instanceName, domain),
  });
  private readonly unknown = new LRUCache<string, true>({ max: 10_000, ttl: NEGATIVE_TTL_MS });
  private readonly loading = new Map<string, Promise<string | null>>();
  /** Bumped on every invalidation, so a lookup that raced with a change is not cached. */
  private generation = 0;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly registry: InstanceRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.onInvalidate((name) => this.forgetInstance(name));
  }

  /** The name of the instance a (normalized) custom domain serves, or null. */
  instanceNameFor(domain: string): Promise<string | null> {
    const hit = this.known.get(domain);
    if (hit !== undefined) return Promise.resolve(hit);
    if (this.unknown.has(domain)) return Promise.resolve(null);
    let pending = this.loading.get(domain);
    if (!pending) {
      pending = this.load(domain).finally(() => this.loading.delete(domain));
      this.loading.set(domain, pending);
    }
    return pending;
  }

  forgetInstance(instanceName: string): void {
    this.generation += 1;
    for (const domain of [...(this.domainsByInstance.get(instanceName) ?? [])]) this.known.delete(domain);
    this.unknown.clear();
    this.loading.clear();
  }

  private async load(domain: string): Promise<string | null> {
    const generation = this.generation;
    const row = await this.dataSource
      .getRepository(CustomDomainEntity)
      .findOne({ where: { domain }, relations: { instance: true } });
    const name = row?.instance?.name ?? null;
    if (generation === this.generation) {
      if (name === null) {
        this.unknown.set(domain, true);
      } else {
        this.known.set(domain, name);
        this.index(name, domain);
      }
    }
    return name;
  }

  private index(instanceName: string, domain: string): void {
    let domains = this.domainsByInstance.get(instanceName);
    if (!domains) this.domainsByInstance.set(instanceName, (domains = new Set()));
    domains.add(domain);
  }

  private unindex(instanceName: string, domain: string): void {
    const domains = this.domainsByInstance.get(instanceName);
    domains?.delete(domain);
    if (domains?.size === 0) this.domainsByInstance.delete(instanceName);
  }
}
