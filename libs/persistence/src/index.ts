export * from './entities';
export { PersistenceModule } from './persistence.module';
export { MigrationRunner } from './migration-runner';
export { createDataSource } from './data-source.factory';
export type { DataSourceSettings } from './data-source.factory';
export { withAdvisoryLock } from './advisory-lock';
export type { AdvisoryLockKey, LockedResult } from './advisory-lock';
export { migrations } from './migrations';
