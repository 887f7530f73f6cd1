import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AdvisoryLockKey } from './advisory-lock';

/** Held while migrating (see MigrationRunner.run). */
export const MIGRATION_LOCK: AdvisoryLockKey = [0x69646777, 3];

/** Applies and reports schema migrations. */
@Injectable()
export class MigrationRunner {
  private readonly logger = new Logger(MigrationRunner.name);

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Applies pending migrations while holding an advisory lock, waiting for it if another process
   * holds it: replicas starting together on a new database (development migrates at start) would
   * otherwise create the same objects at once and one of them would fail. Whoever gets the lock
   * second finds nothing left to do.
   */
  async run(): Promise<string[]> {
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
      try {
        const applied = await this.dataSource.runMigrations({ transaction: 'each' });
        for (const m of applied) this.logger.log(`applied migration ${m.name}`);
        return applied.map((m) => m.name);
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]);
      }
    } finally {
      await lock.release();
    }
  }

  async pending(): Promise<boolean> {
    return this.dataSource.showMigrations();
  }
}
