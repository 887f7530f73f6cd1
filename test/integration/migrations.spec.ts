import { createDataSource, MigrationRunner, migrations } from '@erp-id/persistence';
import { createTestDatabase, testBackends } from '../support/test-backends';

// Several processes share one database only with Postgres; the embedded database has one owner.
const onPostgres = testBackends.postgresUrl ? describe : describe.skip;

onPostgres('migrations (Postgres)', () => {
  it('are applied once when several replicas start together on a new database', async () => {
    const db = await createTestDatabase('idgw_migrations');
    const sources = [1, 2, 3].map(() => createDataSource({ databaseUrl: db.url, dataDir: '.', poolSize: 3 }));
    try {
      await Promise.all(sources.map((s) => s.initialize()));
      const applied = await Promise.all(sources.map((s) => new MigrationRunner(s).run()));
      // One replica applied them all, in order; the others found nothing left to do.
      expect(applied.flat()).toEqual(migrations.map((m) => m.name));
      expect(await new MigrationRunner(sources[0]!).pending()).toBe(false);
    } finally {
      await Promise.all(sources.map((s) => (s.isInitialized ? s.destroy() : undefined)));
      await db.drop();
    }
  }, 60_000);
});
