import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, testBackends } from '../support/test-backends';

const CLI = resolve(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');
const PASSWORD = 'correct horse battery staple';

// Every command is a fresh process that opens the database: a few seconds each on PGlite.
jest.setTimeout(300_000);

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface TokenView {
  id: string;
  kind: string;
  subject: string;
  scopes: string[];
  apis: string[];
  expiresAt: string | null;
  token?: string;
}

describe(`CLI: reference tokens (${testBackends.postgresUrl ? 'Postgres' : 'PGlite'})`, () => {
  let env: Record<string, string>;
  let dataDir: string;
  let drop: (() => Promise<void>) | undefined;

  const cli = (args: string[], stdin?: string): Promise<CliResult> =>
    new Promise((resolveRun, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolveRun({ code, stdout, stderr }));
      child.stdin.end(stdin ?? '');
    });

  const json = async <T>(args: string[], stdin?: string): Promise<T> => {
    const res = await cli([...args, '--json'], stdin);
    if (res.code !== 0) throw new Error(`${args.join(' ')} failed (${res.code}): ${res.stderr}`);
    return JSON.parse(res.stdout) as T;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'idgw-cli-tokens-'));
    env = {
      PATH: process.env.PATH ?? '',
      DATA_DIR: dataDir,
      KEY_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      NODE_ENV: 'production',
    };
    if (testBackends.postgresUrl) {
      const db = await createTestDatabase('idgw_cli_tokens');
      env.DATABASE_URL = db.url;
      drop = db.drop;
    }
    expect((await cli(['migrate'])).code).toBe(0);
    expect((await cli(['instances', 'create', 'acme'])).code).toBe(0);
  });

  afterAll(async () => {
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('issues, lists and revokes personal and service tokens, and refuses what the subject may not have', async () => {
    const alice = await json<{ id: string }>(
      ['users', 'create', 'acme', 'alice', '--kind', 'internal', '--password-stdin'],
      PASSWORD,
    );
    const erin = await json<{ id: string }>(
      ['users', 'create', 'acme', 'erin', '--kind', 'external', '--password-stdin'],
      PASSWORD,
    );
    const account = await json<{ id: string }>([
      'service-accounts',
      'create',
      'acme',
      'exporter',
      '--scope',
      'read',
    ]);

    // Human output shows the token once, with its prefix.
    const human = await cli([
      'tokens',
      'issue',
      'acme',
      'personal',
      alice.id,
      '--scope',
      'read',
      '--description',
      'laptop',
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/token \(shown once\): erp_pat_[A-Za-z0-9_-]{43}\n/);
    expect(human.stdout).toContain('kind:        personal');

    const sat = await json<TokenView>([
      'tokens',
      'issue',
      'acme',
      'service',
      account.id,
      '--scope',
      'read',
      '--api',
      'table',
      '--expires-at',
      '2099-01-01T00:00:00Z',
    ]);
    expect(sat).toMatchObject({ kind: 'service', subject: account.id, scopes: ['read'], apis: ['table'] });
    expect(sat.token).toMatch(/^erp_sat_[A-Za-z0-9_-]{43}$/);
    expect(sat.expiresAt).toBe('2099-01-01T00:00:00.000Z');

    const listed = await json<{ items: TokenView[] }>(['tokens', 'list', 'acme']);
    expect(listed.items).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toMatch(/erp_(pat|sat)_/);
    const services = await json<{ items: TokenView[] }>(['tokens', 'list', 'acme', '--kind', 'service']);
    expect(services.items.map((t) => t.id)).toEqual([sat.id]);
    const mine = await json<{ items: TokenView[] }>(['tokens', 'list', 'acme', '--subject', alice.id]);
    expect(mine.items.map((t) => t.kind)).toEqual(['personal']);
    const table = await cli(['tokens', 'list', 'acme']);
    expect(table.stdout).toContain(sat.id);

    expect(await json(['tokens', 'revoke', 'acme', sat.id])).toEqual({ revoked: sat.id });
    expect((await json<{ items: TokenView[] }>(['tokens', 'list', 'acme'])).items).toHaveLength(1);

    const refused = async (args: string[], message: RegExp) => {
      const res = await cli(args);
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(message);
    };
    await refused(['tokens', 'revoke', 'acme', sat.id], /error: reference token .* does not exist in acme/);
    await refused(
      ['tokens', 'issue', 'acme', 'personal', erin.id, '--scope', 'read'],
      /error: subject: only internal users/,
    );
    await refused(
      ['tokens', 'issue', 'acme', 'service', account.id, '--scope', 'update'],
      /error: scopes: .*update/,
    );
    await refused(['tokens', 'issue', 'acme', 'personal', alice.id], /error: give at least one --scope/);
    await refused(['tokens', 'issue', 'acme', 'robot', alice.id, '--scope', 'read'], /kind must be one of/);
    await refused(
      [
        'tokens',
        'issue',
        'acme',
        'personal',
        alice.id,
        '--scope',
        'read',
        '--expires-at',
        '2000-01-01T00:00:00Z',
      ],
      /error: expiresAt: must be in the future/,
    );
    await refused(['tokens', 'list', 'nowhere'], /error: instance nowhere does not exist/);
  });

  it('registers a client allowed to introspect, and changes the permission', async () => {
    const created = await json<{ introspection: boolean }>([
      'clients',
      'create',
      'acme',
      'domain-api',
      '--introspection',
    ]);
    expect(created.introspection).toBe(true);
    const updated = await json<{ introspection: boolean }>([
      'clients',
      'update',
      'acme',
      'domain-api',
      '--introspection',
      'false',
    ]);
    expect(updated.introspection).toBe(false);
  });
});
