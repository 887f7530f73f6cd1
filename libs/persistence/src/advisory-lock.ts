import type { DataSource } from 'typeorm';

/** A Postgres advisory lock id (the two-integer form: a namespace and an id within it). */
export type AdvisoryLockKey = readonly [namespace: number, id: number];

export type LockedResult<T> = { acquired: true; result: T } | { acquired: false };

/**
 * Runs `work` while holding a session-level advisory lock, or not at all when another session holds
 * it (`pg_try_advisory_lock` never waits). The lock lives on one dedicated connection and ends with
 * it, so a replica that dies mid-run does not keep it. PGlite implements the same functions (one
 * session: the lock only ever excludes other processes, and the embedded mode has none).
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  key: AdvisoryLockKey,
  work: () => Promise<T>,
): Promise<LockedResult<T>> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const rows = (await runner.query('SELECT pg_try_advisory_lock($1, $2) AS locked', [...key])) as Array<{
      locked: boolean;
    }>;
    if (rows[0]?.locked !== true) return { acquired: false };
    try {
      return { acquired: true, result: await work() };
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1, $2)', [...key]);
    }
  } finally {
    await runner.release();
  }
}
