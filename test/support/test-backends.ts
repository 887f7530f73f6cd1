import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Which backends this test run uses. `DATABASE_URL` / `REDIS_URL` in the environment select real
 * Postgres and Redis (CI sets both); without them the suites run on the embedded defaults.
 */
export const testBackends = {
  postgresUrl: process.env.DATABASE_URL,
  redisUrl: process.env.REDIS_URL,
};

export const usingPostgres = (): boolean => Boolean(testBackends.postgresUrl);
export const usingRedis = (): boolean => Boolean(testBackends.redisUrl);
/** Both real backends: only then can several gateway processes serve the same instances. */
export const usingSharedBackends = (): boolean => usingPostgres() && usingRedis();

/** A fresh database on the configured server, dropped by the returned function. */
export async function createTestDatabase(
  label = 'idgw_test',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = testBackends.postgresUrl;
  if (!base) throw new Error('createTestDatabase needs DATABASE_URL');
  const name = `${label}_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export function uniqueKeyPrefix(label = 'idgwtest'): string {
  return `${label}-${randomBytes(5).toString('hex')}`;
}
