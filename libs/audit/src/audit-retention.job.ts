import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { GatewayConfig } from '@erp-id/config';
import { type AdvisoryLockKey, withAdvisoryLock } from '@erp-id/persistence';
import { DataSource } from 'typeorm';

/** 'idgw' and 2: the advisory lock every replica's pruning run competes for (key rotation has 1). */
export const AUDIT_RETENTION_LOCK: AdvisoryLockKey = [0x69646777, 2];
/** Retention is counted in days: an hour late is on time. */
export const AUDIT_RETENTION_INTERVAL_MS = 60 * 60_000;
const FIRST_RUN_DELAY_MS = 5_000;
/** Small batches keep each delete short, so it never holds locks or the pool for long. */
const BATCH_SIZE = 1_000;
const DAY_MS = 24 * 3600 * 1000;

export interface AuditRetentionReport {
  /** False when another replica held the lock (it does the work of this run). */
  ran: boolean;
  deleted: number;
}

/**
 * Deletes audit events older than AUDIT_RETENTION_DAYS, in batches, on every replica's timer; an
 * advisory lock makes one replica do each run.
 */
@Injectable()
export class AuditRetentionJob implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AuditRetention');
  private firstRun: NodeJS.Timeout | undefined;
  private interval: NodeJS.Timeout | undefined;
  private running: Promise<AuditRetentionReport> | undefined;
  private stopped = false;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    // unref: the schedule never keeps a process alive on its own.
    this.firstRun = setTimeout(() => this.tick(), FIRST_RUN_DELAY_MS).unref();
    this.interval = setInterval(() => this.tick(), AUDIT_RETENTION_INTERVAL_MS).unref();
  }

  /** Stops the timers and waits for a run in progress, before the database connection closes. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.firstRun);
    clearInterval(this.interval);
    await this.running?.catch(() => undefined);
  }

  /** One pruning run (the timer calls this); a run already in progress is shared, not repeated. */
  runOnce(): Promise<AuditRetentionReport> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private tick(): void {
    if (this.stopped) return;
    this.runOnce().then(
      ({ deleted }) => {
        if (deleted > 0)
          this.logger.log(`pruned ${deleted} audit events older than ${this.config.auditRetentionDays} days`);
      },
      (err: Error) => this.logger.error(`audit retention run failed: ${err.message}`),
    );
  }

  private async run(): Promise<AuditRetentionReport> {
    const cutoff = new Date(Date.now() - this.config.auditRetentionDays * DAY_MS);
    const locked = await withAdvisoryLock(this.dataSource, AUDIT_RETENTION_LOCK, () => this.prune(cutoff));
    return locked.acquired ? { ran: true, deleted: locked.result } : { ran: false, deleted: 0 };
  }

  private async prune(cutoff: Date): Promise<number> {
    let deleted = 0;
    while (!this.stopped) {
      const rows = (await this.dataSource.query(
        `DELETE FROM audit_events WHERE id IN (
           SELECT id FROM audit_events WHERE occurred_at < $1 LIMIT ${BATCH_SIZE}
         ) RETURNING 1`,
        [cutoff],
      )) as unknown[];
      deleted += rows.length;
      if (rows.length < BATCH_SIZE) break;
    }
    return deleted;
  }
}
