export * from './entities';
export { PersistenceModule } from './persistence.module';
export { MigrationRunner } from './migration-runner';
export { createDataSource } from './data-source.factory';
export type { DataSourceSettings } from './data-source.factory';
