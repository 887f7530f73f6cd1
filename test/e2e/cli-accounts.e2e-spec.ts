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

describe(`CLI: clients, users and service accounts (${testBackends.postgresUrl ? 'Postgres' : 'PGlite'})`, () => {
  let env: Record<string, string>;
  let dataDir: string;
  let drop: (() => Promise<void>) | undefined;

  /** Runs the built CLI as a user would, optionally with something on stdin. */
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

  /** A refused command: non-zero, a message on stderr, nothing on stdout. */
  const expectRefused = async (args: string[], message: string | RegExp, stdin?: string): Promise<void> => {
    const res = await cli(args, stdin);
    expect(res.code).not.toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(
      typeof message === 'string' ? new RegExp(`error: .*${escape(message)}`) : message,
    );
  };
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'idgw-cli-accounts-'));
    env = {
      PATH: process.env.PATH ?? '',
      DATA_DIR: dataDir,
      KEY_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      NODE_ENV: 'production',
    };
    if (testBackends.postgresUrl) {
      const db = await createTestDatabase('idgw_cli_accounts');
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

  it('exits non-zero with a clear message when an option is bad', async () => {
    await expectRefused(
      ['clients', 'create', 'acme', 'x', '--grant-type', 'password'],
      '--grant-type must be one of',
    );
    await expectRefused(
      ['clients', 'rotate-secret', 'acme', 'x', '--grace-period', '604801'],
      '--grace-period must be a whole number from 0 to 604800',
    );
    await expectRefused(
      ['service-accounts', 'update', 'acme', 'x', '--status', 'paused'],
      '--status must be one of',
    );
    await expectRefused(['users', 'list', 'acme', '--limit', 'many'], '--limit must be a whole number');
    await expectRefused(['users', 'create', 'acme', 'bob', '--kind', 'admin'], '--kind must be one of');
    // Commander's own usage errors exit non-zero too.
    const missing = await cli(['clients', 'show', 'acme']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("missing required argument 'clientId'");
  });

  it('manages clients: create, list, show, update, rotate-secret, delete', async () => {
    const created = await json<{ clientId: string; clientSecret: string }>([
      'clients',
      'create',
      'acme',
      'web',
      '--grant-type',
      'authorization_code',
      '--redirect-uri',
      'https://web.example/cb',
      '--scope',
      'openid',
      '--name',
      'Web app',
    ]);
    expect(created).toMatchObject({
      clientId: 'web',
      clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });

    const listed = await json<{ items: Array<{ clientId: string }> }>(['clients', 'list', 'acme']);
    expect(listed.items.map((c) => c.clientId)).toEqual(['web']);
    expect(JSON.stringify(listed)).not.toContain('clientSecret');

    const shown = await cli(['clients', 'show', 'acme', 'web']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/redirect URIs:\s+https:\/\/web\.example\/cb/);
    expect(shown.stdout).toMatch(/name:\s+Web app/);

    const updated = await json<{
      redirectUris: string[];
      requireConsent: boolean;
      clientName: string | null;
    }>([
      'clients',
      'update',
      'acme',
      'web',
      '--redirect-uri',
      'https://web.example/a',
      '--redirect-uri',
      'https://web.example/b',
      '--require-consent',
      'true',
      '--clear-name',
    ]);
    expect(updated).toMatchObject({
      redirectUris: ['https://web.example/a', 'https://web.example/b'],
      requireConsent: true,
      clientName: null,
    });
    await expectRefused(
      ['clients', 'update', 'acme', 'web', '--redirect-uri', 'http://web.example/cb'],
      'redirectUris:',
    );
    await expectRefused(['clients', 'update', 'acme', 'web'], 'nothing to change');
    await expectRefused(
      ['clients', 'update', 'acme', 'nobody', '--clear-name'],
      'client nobody does not exist',
    );

    const rotated = await json<{ clientSecret: string; previousSecretExpiresAt: string | null }>([
      'clients',
      'rotate-secret',
      'acme',
      'web',
      '--grace-period',
      '60',
    ]);
    expect(rotated.clientSecret).not.toBe(created.clientSecret);
    expect(Date.parse(rotated.previousSecretExpiresAt!)).toBeGreaterThan(Date.now());
    const human = await cli(['clients', 'rotate-secret', 'acme', 'web']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      /new secret \(shown once\): [A-Za-z0-9_-]{43}\nthe previous secret no longer works/,
    );

    await json([
      'clients',
      'create',
      'acme',
      'spa',
      '--grant-type',
      'authorization_code',
      '--public',
      '--redirect-uri',
      'http://localhost:5173/cb',
    ]);
    await expectRefused(['clients', 'rotate-secret', 'acme', 'spa'], 'public client');

    expect((await cli(['clients', 'delete', 'acme', 'web'])).code).toBe(0);
    await expectRefused(['clients', 'show', 'acme', 'web'], 'client web does not exist');
    await expectRefused(['clients', 'delete', 'acme', 'web'], 'client web does not exist');
    await expectRefused(['clients', 'list', 'nowhere'], 'instance nowhere does not exist');
  });

  it('manages users: create (password on stdin), list, show, update, unlock, delete', async () => {
    const user = await json<{ id: string; username: string; kind: string }>(
      [
        'users',
        'create',
        'acme',
        'alice',
        '--kind',
        'internal',
        '--email',
        'alice@example.com',
        '--password-stdin',
      ],
      `${PASSWORD}\n`,
    );
    expect(user).toMatchObject({ username: 'alice', kind: 'internal' });
    expect(JSON.stringify(user)).not.toMatch(/password|argon2/i);
    await expectRefused(['users', 'create', 'acme', 'bob', '--kind', 'external'], '--password-stdin');
    await expectRefused(
      ['users', 'create', 'acme', 'bob', '--kind', 'external', '--password-stdin'],
      'password',
      'short\n',
    );
    await expectRefused(
      ['users', 'create', 'acme', 'ALICE', '--kind', 'external', '--password-stdin'],
      'already exists',
      `${PASSWORD}\n`,
    );

    const list = await json<{ items: Array<{ id: string }>; total: number }>(['users', 'list', 'acme']);
    expect(list.total).toBe(1);
    expect(list.items[0]!.id).toBe(user.id);

    const shown = await cli(['users', 'show', 'acme', user.id]);
    expect(shown.stdout).toMatch(/locked:\s+no/);

    const updated = await json<{ kind: string; status: string; email: string | null }>([
      'users',
      'update',
      'acme',
      user.id,
      '--kind',
      'external',
      '--status',
      'disabled',
      '--clear-email',
    ]);
    expect(updated).toMatchObject({ kind: 'external', status: 'disabled', email: null });
    const newPassword = await cli(
      ['users', 'update', 'acme', user.id, '--password-stdin'],
      'another long password\n',
    );
    expect(newPassword.code).toBe(0);

    const unlocked = await json<{ locked: boolean }>(['users', 'unlock', 'acme', user.id]);
    expect(unlocked.locked).toBe(false);

    expect((await cli(['users', 'delete', 'acme', user.id])).code).toBe(0);
    await expectRefused(['users', 'show', 'acme', user.id], 'does not exist');
    await expectRefused(['users', 'unlock', 'acme', 'not-an-id'], 'does not exist');
  });

  it('manages service accounts: create, list, show, update, rotate-secret, delete', async () => {
    const account = await json<{
      id: string;
      name: string;
      clientId: string;
      clientSecret: string;
      scopes: string[];
    }>([
      'service-accounts',
      'create',
      'acme',
      'exporter',
      '--scope',
      'read',
      '--description',
      'nightly export',
    ]);
    expect(account).toMatchObject({
      name: 'exporter',
      scopes: ['read'],
      clientId: `sa-${account.id}`,
      clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    await expectRefused(
      ['service-accounts', 'create', 'acme', 'exporter', '--scope', 'read'],
      'already exists',
    );
    await expectRefused(['service-accounts', 'create', 'acme', 'Bad Name', '--scope', 'read'], 'name:');
    await expectRefused(['service-accounts', 'create', 'acme', 'noscope'], '--scope');
    await expectRefused(
      ['service-accounts', 'create', 'acme', 'x', '--scope', 'openid'],
      '--scope must be one of',
    );

    const list = await json<{ items: Array<{ id: string; status: string }> }>([
      'service-accounts',
      'list',
      'acme',
    ]);
    expect(list.items).toEqual([expect.objectContaining({ id: account.id, status: 'active' })]);
    const human = await cli(['service-accounts', 'show', 'acme', account.id]);
    expect(human.stdout).toMatch(new RegExp(`client:\\s+sa-${account.id}`));

    const disabled = await json<{ status: string; scopes: string[] }>([
      'service-accounts',
      'update',
      'acme',
      account.id,
      '--status',
      'disabled',
      '--scope',
      'read',
      '--scope',
      'update',
    ]);
    expect(disabled).toMatchObject({ status: 'disabled', scopes: ['read', 'update'] });

    // Its client is managed through the account.
    await expectRefused(['clients', 'delete', 'acme', account.clientId], `/service-accounts/${account.id}`);

    const rotated = await json<{ clientSecret: string }>([
      'service-accounts',
      'rotate-secret',
      'acme',
      account.id,
    ]);
    expect(rotated.clientSecret).not.toBe(account.clientSecret);

    expect((await cli(['service-accounts', 'delete', 'acme', account.id])).code).toBe(0);
    await expectRefused(['service-accounts', 'show', 'acme', account.id], 'does not exist');
    await expectRefused(['clients', 'show', 'acme', account.clientId], 'does not exist');
  });
});
