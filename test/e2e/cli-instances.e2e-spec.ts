import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, testBackends } from '../support/test-backends';

const run = promisify(execFile);
const CLI = resolve(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface ListedInstance {
  name: string;
  status: string;
}

describe(`CLI instance administration (${testBackends.postgresUrl ? 'Postgres' : 'PGlite'})`, () => {
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

  const listed = async (...args: string[]): Promise<ListedInstance[]> => {
    const res = await cli('instances', 'list', ...args, '--json');
    expect(res.code).toBe(0);
    return (JSON.parse(res.stdout) as ListedInstance[]).map(({ name, status }) => ({ name, status }));
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'idgw-cli-instances-'));
    env = {
      PATH: process.env.PATH ?? '',
      DATA_DIR: dataDir,
      KEY_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      NODE_ENV: 'production',
    };
    if (testBackends.postgresUrl) {
      const db = await createTestDatabase('idgw_cli_instances');
      env.DATABASE_URL = db.url;
      drop = db.drop;
    }
    expect((await cli('migrate')).code).toBe(0);
    for (const name of ['bravo', 'alpha']) expect((await cli('instances', 'create', name)).code).toBe(0);
  });

  afterAll(async () => {
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists instances by name, as text and as JSON', async () => {
    const text = await cli('instances', 'list');
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^alpha\s+active$/),
      expect.stringMatching(/^bravo\s+active$/),
    ]);
    expect(await listed()).toEqual([
      { name: 'alpha', status: 'active' },
      { name: 'bravo', status: 'active' },
    ]);
  });

  it('suspends and resumes an instance, and filters the list by status', async () => {
    const suspended = await cli('instances', 'suspend', 'bravo');
    expect(suspended.code).toBe(0);
    expect(suspended.stdout).toContain('bravo is suspended');
    expect(await listed('--status', 'suspended')).toEqual([{ name: 'bravo', status: 'suspended' }]);
    expect(await listed('--status', 'active')).toEqual([{ name: 'alpha', status: 'active' }]);

    const resumed = await cli('instances', 'resume', 'bravo', '--json');
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ name: 'bravo', status: 'active', version: 3 });
    expect(await listed('--status', 'suspended')).toEqual([]);
    expect((await cli('instances', 'list', '--status', 'suspended')).stdout).toContain('no instances');
  });

  it('shows the effective policies', async () => {
    const text = await cli('instances', 'policies', 'alpha');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('tokenLifetimes.clientCredentials = 3600');
    expect(text.stdout).toContain('allowedSignInIpRanges = (none)');
    const json = await cli('instances', 'policies', 'alpha', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      lockout: { maxAttempts: 5 },
      mfa: { required: 'none' },
      signingAlgorithm: 'RS256',
    });
  });

  it('fails with status 1 and a message for unknown instances and statuses', async () => {
    for (const command of ['suspend', 'resume', 'policies']) {
      const res = await cli('instances', command, 'nobody');
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('instance nobody does not exist');
    }
    const badStatus = await cli('instances', 'list', '--status', 'deleted');
    expect(badStatus.code).toBe(1);
    expect(badStatus.stderr).toContain('unknown status deleted');
  });
});
