import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Applies and reports schema migrations. */
@Injectable()
export class MigrationRunner {
  private readonly logger = new Logger(MigrationRunner.name);

  constructor(private readonly dataSource: DataSource) {}

  async run(): Promise<string[]> {
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    for (const m of applied) this.logger.log(`applied migration ${m.name}`);
    return applied.map((m) => m.name);
  }

  async pending(): Promise<boolean> {
    return this.dataSource.showMigrations();
  }
}
