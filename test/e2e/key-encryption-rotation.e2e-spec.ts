import { execFile } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { keyIdOf } from '../../libs/keys/src/secret-box';
import { directSql, type DatabaseLocation } from '../support/direct-sql';
import { freePort, GatewayProcess } from '../support/gateway-process';
import { loopbackFetch } from '../support/loopback-fetch';
import { createTestDatabase, testBackends, uniqueKeyPrefix } from '../support/test-backends';
import { waitForLog } from '../support/gateway-log';

const CLI = resolve(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');
const run = promisify(execFile);
const backend = `${testBackends.postgresUrl ? 'Postgres' : 'PGlite'} + ${testBackends.redisUrl ? 'Redis' : 'in-process state'}`;

// Each step starts a gateway (or runs the CLI) on the embedded database: minutes, not seconds, on a busy machine.
jest.setTimeout(240_000);

const INSTANCE = 'kekring';
const KEK_A = Buffer.alloc(32, 0xa1);
const KEK_B = Buffer.alloc(32, 0xb2);
const ID_A = keyIdOf(KEK_A);
const ID_B = keyIdOf(KEK_B);
const b64 = (key: Buffer): string => key.toString('base64');

interface Credentials {
  clientId: string;
  clientSecret: string;
}

interface Report {
  keyId: string;
  instances: number;
  resealed: number;
  alreadyCurrent: number;
  failed: number;
  failures: Array<{ instance: string; kind: string; kid?: string; reason: string }>;
}

interface SealedRows {
  cookieKeys: string;
  signingKeys: Record<string, string>;
}

/** How gateways sealed values before envelopes named their key: `v1.<iv>.<tag>.<ciphertext>`. */
function legacySeal(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url')).join('.');
}

/**
 * The whole rotation of the key-encryption key, as an operator runs it: gateways on key A; then on
 * B with A as previous (everything still works, same JWKS); `keys reencrypt`; then B alone. A gateway
 * that only has A afterwards fails that instance cleanly and keeps serving the others.
 */
describe(`key-encryption key rotation (${backend})`, () => {
  let dataDir: string;
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  let redisKeyPrefix: string;
  let port: number;
  let adminPort: number;
  let gw: GatewayProcess | undefined;
  let service: Credentials;
  let instanceId: string;
  let kids: string[];
  let firstToken: string;
  let sealedUnderA: SealedRows;

  const where = (): DatabaseLocation => ({ databaseUrl, dataDir });

  /** A gateway on the same ports and data as every other one here, so issuer URLs stay the same. */
  const startGateway = async (keys: { current: Buffer; previous?: Buffer[] }): Promise<GatewayProcess> => {
    gw = await GatewayProcess.start({
      databaseUrl,
      redisUrl: testBackends.redisUrl,
      redisKeyPrefix,
      dataDir,
      port,
      adminPort,
      env: {
        KEY_ENCRYPTION_KEY: b64(keys.current),
        ...(keys.previous ? { KEY_ENCRYPTION_KEY_PREVIOUS: keys.previous.map(b64).join(',') } : {}),
      },
    });
    return gw;
  };

  const stopGateway = async (): Promise<void> => {
    await gw?.stop();
    gw = undefined;
  };

  const cli = async (
    keys: { current: Buffer; previous?: Buffer[] },
    ...args: string[]
  ): Promise<{ code: number; stdout: string; stderr: string }> => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      KEY_ENCRYPTION_KEY: b64(keys.current),
      ...(keys.previous ? { KEY_ENCRYPTION_KEY_PREVIOUS: keys.previous.map(b64).join(',') } : {}),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...(testBackends.redisUrl
        ? { REDIS_URL: testBackends.redisUrl, REDIS_KEY_PREFIX: redisKeyPrefix }
        : {}),
    };
    try {
      const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  /** The sealed values as stored; the embedded database must not be open in a gateway meanwhile. */
  const sealedRows = async (): Promise<SealedRows> => {
    const [instance] = await directSql(where(), 'SELECT cookie_keys FROM instances WHERE id = $1', [
      instanceId,
    ]);
    const keys = await directSql(
      where(),
      'SELECT kid, private_jwk FROM signing_keys WHERE instance_id = $1',
      [instanceId],
    );
    return {
      cookieKeys: instance!.cookie_keys as string,
      signingKeys: Object.fromEntries(keys.map((k) => [k.kid as string, k.private_jwk as string])),
    };
  };

  const issuer = (): string => `http://${INSTANCE}.localhost:${port}/id`;

  const jwksResponse = () => loopbackFetch(`${issuer()}/.well-known/openid-configuration/jwks`);

  const jwks = async (): Promise<JSONWebKeySet> => {
    const res = await jwksResponse();
    expect(res.status).toBe(200);
    return (await res.json()) as JSONWebKeySet;
  };

  const tokenResponse = (credentials: Credentials, instance = INSTANCE) =>
    loopbackFetch(`http://${instance}.localhost:${port}/id/connect/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials&scope=read',
    });

  const accessToken = async (): Promise<string> => {
    const res = await tokenResponse(service);
    const body = (await res.json()) as { access_token?: string };
    expect(res.status).toBe(200);
    return body.access_token!;
  };

  /** As a relying party verifies: signature against the JWKS published now, issuer and audience. */
  const verifies = async (token: string): Promise<void> => {
    await jwtVerify(token, createLocalJWKSet(await jwks()), {
      issuer: issuer(),
      audience: `http://${INSTANCE}.localhost:${port}/api/domain`,
    });
  };

  /** Same key set, same signing key, old tokens still valid, new tokens issued. */
  const servesAsBefore = async (): Promise<void> => {
    expect((await jwks()).keys.map((k) => k.kid)).toEqual(kids);
    await verifies(firstToken);
    const fresh = await accessToken();
    expect(decodeProtectedHeader(fresh).kid).toBe(decodeProtectedHeader(firstToken).kid);
    await verifies(fresh);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'idgw-kek-'));
    redisKeyPrefix = uniqueKeyPrefix();
    port = await freePort();
    adminPort = await freePort();
    if (testBackends.postgresUrl) {
      const db = await createTestDatabase('idgw_kek');
      databaseUrl = db.url;
      dropDatabase = db.drop;
    }
  });

  afterAll(async () => {
    await gw?.dispose();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('on key A: creates an instance with a retired and an active key, and issues a token', async () => {
    const gateway = await startGateway({ current: KEK_A });
    const created = await gateway.admin<{ id: string }>('POST', '/instances', { name: INSTANCE });
    expect(created.status).toBe(201);
    instanceId = created.body.id;
    // Two signing keys, so re-encryption covers retired keys as well as the active one.
    expect((await gateway.admin('POST', `/instances/${INSTANCE}/keys/rotate`)).status).toBe(201);
    const client = await gateway.admin<Credentials>('POST', `/instances/${INSTANCE}/clients`, {
      clientId: 'service',
      grantTypes: ['client_credentials'],
      scopes: ['read'],
    });
    expect(client.status).toBe(201);
    service = client.body;
    kids = (await jwks()).keys.map((k) => k.kid!);
    expect(kids).toHaveLength(2);
    firstToken = await accessToken();
    await verifies(firstToken);
    await stopGateway();

    sealedUnderA = await sealedRows();
    expect(Object.keys(sealedUnderA.signingKeys).sort()).toEqual([...kids].sort());
    for (const envelope of [sealedUnderA.cookieKeys, ...Object.values(sealedUnderA.signingKeys)]) {
      expect(envelope.startsWith(`v2.${ID_A}.`)).toBe(true);
    }
    // The cookie keys as a gateway from before key ids sealed them: such rows must keep opening.
    const legacyCookieKeys = legacySeal(
      KEK_A,
      JSON.stringify([randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')]),
      `cookie-keys:${instanceId}`,
    );
    await directSql(where(), 'UPDATE instances SET cookie_keys = $1 WHERE id = $2', [
      legacyCookieKeys,
      instanceId,
    ]);
    sealedUnderA.cookieKeys = legacyCookieKeys;
  });

  it('on key B with A as previous: the same JWKS, and the token still verifies', async () => {
    await startGateway({ current: KEK_B, previous: [KEK_A] });
    await waitForLog(gw!, `key-encryption key ${ID_B} seals; previous key(s) ${ID_A} only open`);
    await servesAsBefore();
  });

  it('keys reencrypt re-seals every value under B, and a second run finds nothing to do', async () => {
    const keys = { current: KEK_B, previous: [KEK_A] };
    // Postgres: the gateway keeps serving while the command runs. PGlite belongs to one process.
    if (!databaseUrl) await stopGateway();

    const unknown = await cli(keys, 'keys', 'reencrypt', '--instance', 'nosuch');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('instance nosuch does not exist');

    const first = await cli(keys, 'keys', 'reencrypt', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout) as Report).toEqual({
      keyId: ID_B,
      instances: 1,
      resealed: 3,
      alreadyCurrent: 0,
      failed: 0,
      failures: [],
    });
    if (gw) await servesAsBefore();

    const again = await cli(keys, 'keys', 'reencrypt', '--instance', INSTANCE);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`key-encryption key ${ID_B}: 1 instance(s)`);
    expect(again.stdout).toMatch(/re-sealed:\s+0\n/);
    expect(again.stdout).toMatch(/already current:\s+3\n/);
    expect(again.stdout).toMatch(/failed:\s+0/);

    await stopGateway();
    const now = await sealedRows();
    expect(Object.keys(now.signingKeys).sort()).toEqual([...kids].sort());
    for (const kid of kids) {
      expect(now.signingKeys[kid]).not.toBe(sealedUnderA.signingKeys[kid]);
      expect(now.signingKeys[kid]!.startsWith(`v2.${ID_B}.`)).toBe(true);
    }
    expect(now.cookieKeys).not.toBe(sealedUnderA.cookieKeys);
    expect(now.cookieKeys.startsWith(`v2.${ID_B}.`)).toBe(true);
  });

  it('on key B alone: the instance works with the same keys', async () => {
    await startGateway({ current: KEK_B });
    await servesAsBefore();
    await stopGateway();
  });

  it('on key A alone: that instance answers 503 JSON with a clear log line, the process serves on', async () => {
    const gateway = await startGateway({ current: KEK_A });
    for (const res of [await jwksResponse(), await tokenResponse(service)]) {
      // The instance exists and the request is fine: the server lacks a key, so 503 (retry later), not 4xx.
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await res.json()).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'identity server unavailable',
      });
    }
    // The sign-in pages need the issuer too: a page saying so, with the same status.
    const page = await loopbackFetch(`${issuer()}/interaction/some-uid`);
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('5');
    expect(await page.text()).toContain('Sign-in is temporarily unavailable');
    const log = await waitForLog(gateway, `instance ${INSTANCE} cannot be served`);
    expect(log).toContain(
      `sealed under key-encryption key ${ID_B}, which is not configured (current ${ID_A})`,
    );
    for (const key of [KEK_A, KEK_B]) {
      expect(log).not.toContain(key.toString('base64'));
      expect(log).not.toContain(key.toString('base64url'));
    }

    // Alive, and every other instance is served.
    expect((await loopbackFetch(`http://127.0.0.1:${adminPort}/healthz`)).status).toBe(200);
    expect((await gateway.admin('POST', '/instances', { name: 'other' })).status).toBe(201);
    const other = await gateway.admin<Credentials>('POST', '/instances/other/clients', {
      clientId: 'service',
      grantTypes: ['client_credentials'],
      scopes: ['read'],
    });
    expect(other.status).toBe(201);
    expect((await tokenResponse(other.body, 'other')).status).toBe(200);

    // The admin route reports what this process cannot re-seal and changes nothing there.
    const report = await gateway.admin<Report>('POST', '/keys/reencrypt');
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      keyId: ID_A,
      instances: 2,
      resealed: 0,
      alreadyCurrent: 2,
      failed: 3,
    });
    expect(report.body.failures.map((f) => `${f.instance} ${f.kind} ${f.kid ?? ''}`.trim()).sort()).toEqual(
      [`${INSTANCE} cookie-keys`, ...kids.map((kid) => `${INSTANCE} signing-key ${kid}`)].sort(),
    );
    expect(report.body.failures[0]!.reason).toContain(`sealed under key-encryption key ${ID_B}`);
    const one = await gateway.admin<Report>('POST', '/keys/reencrypt', { instance: 'other' });
    expect(one.body).toMatchObject({ instances: 1, resealed: 0, alreadyCurrent: 2, failed: 0 });
    expect((await gateway.admin('POST', '/keys/reencrypt', { instance: 'nosuch' })).status).toBe(404);
    const bad = await gateway.admin<{ error: string }>('POST', '/keys/reencrypt', { instances: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_request');
    expect((await gateway.admin('POST', '/keys/reencrypt', undefined, 'not-the-token')).status).toBe(401);
    await stopGateway();

    // A key that opens nothing of the instance leaves its rows as they were.
    const rows = await sealedRows();
    for (const envelope of [rows.cookieKeys, ...Object.values(rows.signingKeys)]) {
      expect(envelope.startsWith(`v2.${ID_B}.`)).toBe(true);
    }
  });
});
