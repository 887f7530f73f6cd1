import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { InstanceEntity } from '@erp-id/persistence';
import { LRUCache } from 'lru-cache';
import { DataSource, In } from 'typeorm';
import { ChangeChannel } from './change-channel';
import type { InstanceRecord } from './instance-record';

const NEGATIVE_TTL_MS = 5_000;
const VERSION_CHECK_MS = 10_000;

function toRecord(row: InstanceEntity): InstanceRecord {
  return Object.freeze({
    id: row.id,
    name: row.name,
    displayName: row.displayName,
    status: row.status,
    version: row.version,
    sites: row.sites,
    policies: row.policies ?? {},
    apis: row.apis ?? null,
    sealedCookieKeys: row.cookieKeys,
  });
}

/**
 * Instance records by name, cached in memory. Unknown names are cached briefly so random
 * subdomains cannot hammer Postgres. A change (from the change channel or the periodic version
 * check) drops the record and tells subscribers (the issuer pool) to drop theirs.
 */
interface PendingLoad {
  promise: Promise<InstanceRecord | null>;
  /** Set when the instance changed while this load was running: its answer may predate the change. */
  stale: boolean;
}

@Injectable()
export class InstanceRegistry implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(InstanceRegistry.name);
  // Bounded by `maxSize` (one per entry) rather than `max`: lru-cache allocates `max` slots up front,
  // megabytes of heap whatever the size of the fleet.
  private readonly known = new LRUCache<string, InstanceRecord>({
    maxSize: 100_000,
    sizeCalculation: () => 1,
  });
  private readonly unknown = new LRUCache<string, true>({ max: 10_000, ttl: NEGATIVE_TTL_MS });
  /**
   * Loads in flight. An invalidation marks the one in flight stale, so a load that raced with a
   * change is not cached; nothing is kept per name once its load is done (a fleet of thousands of
   * instances must cost nothing while cold).
   */
  private readonly loading = new Map<string, PendingLoad>();
  private readonly events = new EventEmitter();
  private versionTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly changes: ChangeChannel,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.changes.onChange((name) => this.invalidate(name));
    this.versionTimer = setInterval(() => void this.checkVersions(), VERSION_CHECK_MS);
    this.versionTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.versionTimer);
    this.unsubscribe?.();
  }

  /** Subscribes to "this instance changed"; used by caches built from records. */
  onInvalidate(listener: (name: string) => void): void {
    this.events.on('invalidate', listener);
  }

  /** The cached answer for a name, without waiting: `undefined` when it must be loaded. */
  cached(name: string): InstanceRecord | null | undefined {
    const hit = this.known.get(name);
    if (hit) return hit;
    return this.unknown.has(name) ? null : undefined;
  }

  async find(name: string): Promise<InstanceRecord | null> {
    const cached = this.cached(name);
    if (cached !== undefined) return cached;
    const inFlight = this.loading.get(name);
    if (inFlight) return inFlight.promise;
    const pending: PendingLoad = { stale: false, promise: Promise.resolve(null) };
    pending.promise = this.load(name, pending).finally(() => {
      if (this.loading.get(name) === pending) this.loading.delete(name);
    });
    this.loading.set(name, pending);
    return pending.promise;
  }

  invalidate(name: string): void {
    const inFlight = this.loading.get(name);
    if (inFlight) inFlight.stale = true;
    this.known.delete(name);
    this.unknown.delete(name);
    this.loading.delete(name);
    this.events.emit('invalidate', name);
  }

  private async load(name: string, pending: PendingLoad): Promise<InstanceRecord | null> {
    const row = await this.dataSource.getRepository(InstanceEntity).findOneBy({ name });
    const record = row ? toRecord(row) : null;
    if (!pending.stale) {
      if (record) this.known.set(name, record);
      else this.unknown.set(name, true);
    }
    return record;
  }

  /** Safety net for a missed change message: compare cached versions with the database. */
  async checkVersions(): Promise<void> {
    const names = [...this.known.keys()];
    if (!names.length) return;
    try {
      for (let i = 0; i < names.length; i += 1000) {
        const batch = names.slice(i, i + 1000);
        const rows = await this.dataSource
          .getRepository(InstanceEntity)
          .find({ select: { name: true, version: true }, where: { name: In(batch) } });
        const current = new Map(rows.map((r) => [r.name, r.version]));
        for (const name of batch) {
          if (current.get(name) !== this.known.peek(name)?.version) this.invalidate(name);
        }
      }
    } catch (err) {
      this.logger.warn(`version check failed: ${(err as Error).message}`);
    }
  }
}
