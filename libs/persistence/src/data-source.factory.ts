import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { PGliteDriver } from 'typeorm-pglite';
import { entities } from './entities';
import { migrations } from './migrations';

export interface DataSourceSettings {
  /** Postgres URL; absent means embedded PGlite under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** Pool size per process; every instance shares it. */
  poolSize?: number;
}

/** One DataSource for the whole process: Postgres through `pg`, or PGlite running the same migrations. */
export function createDataSource(settings: DataSourceSettings): DataSource {
  const common = { entities, migrations, synchronize: false, migrationsRun: false, logging: false } as const;
  if (settings.databaseUrl) {
    return new DataSource({
      type: 'postgres',
      url: settings.databaseUrl,
      ...common,
      extra: {
        max: settings.poolSize ?? 20,
        connectionTimeoutMillis: 5000,
        // A stuck query must not hold a request (and a pool slot) forever: the server gives up after
        // statement_timeout, and the client after query_timeout when the server cannot even be reached.
        statement_timeout: 10000,
        query_timeout: 12000,
      },
    });
  }
  const dir = resolve(settings.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  return new DataSource({
    type: 'postgres',
    driver: new PGliteDriver({ dataDir: join(dir) }).driver,
    ...common,
  });
}
