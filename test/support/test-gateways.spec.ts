import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loopbackFetch } from './loopback-fetch';
import { testBackends, usingPostgres, usingSharedBackends } from './test-backends';
import { startTestGateways } from './test-gateways';

/** The databases on the configured server whose names start with `label`. */
async function databasesNamed(label: string): Promise<string[]> {
  const client = new Client({ connectionString: testBackends.postgresUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${label}\\_%`],
    );
    return rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

/** A label no other run uses, so the database checks see only this test's databases. */
const uniqueLabel = (what: string): string => `idgw_${what}_${randomBytes(3).toString('hex')}`;

const refusesConnections = async (adminPort: number): Promise<boolean> =>
  loopbackFetch(`http://127.0.0.1:${adminPort}/healthz`).then(
    () => false,
    () => true,
  );

describe(`startTestGateways (${usingSharedBackends() ? 'Postgres + Redis' : 'partly or wholly embedded'})`, () => {
  it('starts two replicas on one database and key prefix only on shared backends; dispose stops them all, once', async () => {
    const database = uniqueLabel('helper');
    const started = await startTestGateways({ database, replicas: 2 });
    try {
      expect(started.shared).toBe(usingSharedBackends());
      expect(started.gateways).toHaveLength(started.shared ? 2 : 1);
      expect(started.gw).toBe(started.gateways[0]);
      expect(started.options.redisKeyPrefix).toEqual(expect.any(String));
      expect(Boolean(started.options.databaseUrl)).toBe(usingPostgres());
      if (usingPostgres()) expect(await databasesNamed(database)).toHaveLength(1);

      // What one replica writes, the other serves: they share the database and the change channel.
      const created = await started.gw.admin('POST', '/instances', { name: 'helper' });
      expect(created.status).toBe(201);
      for (const gw of started.gateways) {
        expect((await gw.admin('GET', '/instances/helper')).status).toBe(200);
      }
    } finally {
      await Promise.all([started.dispose(), started.dispose()]);
    }
    await started.dispose();
    for (const gw of started.gateways) expect(await refusesConnections(gw.adminPort)).toBe(true);
    if (usingPostgres()) expect(await databasesNamed(database)).toEqual([]);
  });

  it('stops what it started and drops the database when a process fails to start', async () => {
    const database = uniqueLabel('helper_fail');
    await expect(
      startTestGateways({ database, replicas: 2, env: { KEY_ENCRYPTION_KEY: 'not-a-key' } }),
    ).rejects.toThrow(/gateway exited early/);
    if (usingPostgres()) expect(await databasesNamed(database)).toEqual([]);
  });
});
