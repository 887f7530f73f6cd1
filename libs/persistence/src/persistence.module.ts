import { Global, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { GatewayConfig } from '@erp-id/config';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source.factory';
import { MigrationRunner } from './migration-runner';

/**
 * The process-wide database connection. Development (and embedded mode) migrates at start;
 * in production the `migrate` command (the Helm hook) applies migrations and the gateway only
 * checks that none is pending (see apps/gateway).
 */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [GatewayConfig],
      useFactory: async (config: GatewayConfig): Promise<DataSource> => {
        const ds = createDataSource({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
        return ds.initialize();
      },
    },
    MigrationRunner,
  ],
  exports: [DataSource, MigrationRunner],
})
export class PersistenceModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PersistenceModule.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly migrations: MigrationRunner,
    private readonly config: GatewayConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.embeddedDatabase) {
      this.logger.warn(
        `embedded PGlite database under ${this.config.dataDir} (one process only; set DATABASE_URL for Postgres)`,
      );
    }
    if (!this.config.production || this.config.embeddedDatabase) await this.migrations.run();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
