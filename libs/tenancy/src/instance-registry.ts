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
@Injectable()
export class InstanceRegistry implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(InstanceRegistry.name);
  private readonly known = new LRUCache<string, InstanceRecord>({ max: 100_000 });
  private readonly unknown = new LRUCache<string, true>({ max: 10_000, ttl: NEGATIVE_TTL_MS });
  private readonly loading = new Map<string, Promise<InstanceRecord | null>>();
  /** Bumped on every invalidation, so a load that raced with a change is not cached. */
  private readonly generations = new Map<string, number>();
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

  async find(name: string): Promise<InstanceRecord | null> {
    const hit = this.known.get(name);
    if (hit) return hit;
    if (this.unknown.has(name)) return null;
    let pending = this.loading.get(name);
    if (!pending) {
      pending = this.load(name).finally(() => this.loading.delete(name));
      this.loading.set(name, pending);
    }
    return pending;
  }

  invalidate(name: string): void {
    this.generations.set(name, (this.generations.get(name) ?? 0) + 1);
    this.known.delete(name);
    this.unknown.delete(name);
    this.loading.delete(name);
    this.events.emit('invalidate', name);
  }

  private async load(name: string): Promise<InstanceRecord | null> {
    const generation = this.generations.get(name) ?? 0;
    const row = await this.dataSource.getRepository(InstanceEntity).findOneBy({ name });
    const record = row ? toRecord(row) : null;
    if ((this.generations.get(name) ?? 0) === generation) {
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
