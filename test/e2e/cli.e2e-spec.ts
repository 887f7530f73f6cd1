import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { migrations } from '@erp-id/persistence';
import { createTestDatabase, testBackends } from '../support/test-backends';

const run = promisify(execFile);
const CLI = resolve(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe(`CLI (${testBackends.postgresUrl ? 'Postgres' : 'PGlite'})`, () => {
  let env: Record<string, string>;
  let dataDir: string;
  let drop: (() => Promise<void>) | undefined;

  const cli = async (...args: string[]): Promise<CliResult> => {
    try {
      const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'idgw-cli-'));
    env = {
      PATH: process.env.PATH ?? '',
      DATA_DIR: dataDir,
      KEY_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      NODE_ENV: 'production',
    };
    if (testBackends.postgresUrl) {
      const db = await createTestDatabase('idgw_cli');
      env.DATABASE_URL = db.url;
      drop = db.drop;
    }
  });

  afterAll(async () => {
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates, then reports the schema current', async () => {
    const first = await cli('migrate', '--json');
    expect(first.code).toBe(0);
    if (testBackends.postgresUrl)
      // A fresh database gets every migration, in order.
      expect(JSON.parse(first.stdout).applied).toEqual(migrations.map((m) => m.name));
    const second = await cli('migrate');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('schema is up to date');
  });

  it('creates, shows and deletes an instance, with a client', async () => {
    const created = await cli('instances', 'create', 'acme', '--display-name', 'Acme Corp', '--json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      name: 'acme',
      displayName: 'Acme Corp',
      status: 'active',
    });

    const shown = await cli('instances', 'show', 'acme');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/status:\s+active/);

    const client = await cli('clients', 'create', 'acme', 'nightly-sync', '--scope', 'update', '--json');
    expect(client.code).toBe(0);
    const body = JSON.parse(client.stdout) as { clientId: string; clientSecret: string; scopes: string[] };
    expect(body).toMatchObject({ clientId: 'nightly-sync', scopes: ['update'] });
    expect(body.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const duplicate = await cli('instances', 'create', 'acme');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('already exists');

    const reserved = await cli('instances', 'create', 'www');
    expect(reserved.code).toBe(1);
    expect(reserved.stderr).toContain('reserved');

    expect((await cli('instances', 'delete', 'acme')).code).toBe(0);
    const gone = await cli('instances', 'show', 'acme');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('does not exist');
  });
});
