import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..');

/** Where a gateway keeps its data: a Postgres URL, or the embedded PGlite under its data folder. */
export interface DatabaseLocation {
  databaseUrl?: string;
  dataDir: string;
}

// PGlite loads its WebAssembly through a dynamic import, which jest's module sandbox refuses, so the
// embedded database is opened by a plain node process. Its output is the rows as JSON.
const PGLITE_SCRIPT = `
const { PGlite } = require('@electric-sql/pglite');
(async () => {
  const db = await PGlite.create({ dataDir: process.env.PGLITE_DIR });
  try {
    const result = await db.query(process.env.SQL, JSON.parse(process.env.PARAMS));
    process.stdout.write(JSON.stringify(result.rows));
  } finally {
    await db.close();
  }
})().catch((err) => { process.stderr.write(String(err && err.stack || err)); process.exit(1); });
`;

/**
 * Runs one SQL statement on a gateway's database from outside the gateway, e.g. to move key dates
 * back in time. The embedded database belongs to one process: stop the gateway first.
 */
export async function directSql(
  where: DatabaseLocation,
  sql: string,
  params: readonly unknown[] = [],
): Promise<Record<string, unknown>[]> {
  if (where.databaseUrl) {
    const client = new Client({ connectionString: where.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, [...params])).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  }
  const { stdout } = await run(process.execPath, ['-e', PGLITE_SCRIPT], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PGLITE_DIR: join(where.dataDir, 'pglite'),
      SQL: sql,
      PARAMS: JSON.stringify(params),
    },
  });
  return JSON.parse(stdout) as Record<string, unknown>[];
}
