import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigService } from '@nestjs/config';
import { GatewayConfig, validateConfig, type RawGatewayConfig } from '@erp-id/config';
import { AuditRecorder } from '@erp-id/audit';
import {
  InstanceKeysService,
  SigningKeyPool,
  KEY_SCHEDULE_LOCK,
  KeyRotationJob,
  KeyRotationService,
  SecretBox,
  UnknownInstance,
  type InstanceRef,
} from '@erp-id/keys';
import { createDataSource, InstanceEntity, SigningKeyEntity } from '@erp-id/persistence';
import { ChangeChannel, InstanceVersions } from '@erp-id/tenancy';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { directSql } from '../support/direct-sql';
import type { GatewayProcess } from '../support/gateway-process';
import { loopbackFetch } from '../support/loopback-fetch';
import { createTestDatabase, testBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';

const DAY_MS = 24 * 3600 * 1000;
const daysAgo = (days: number): Date => new Date(Date.now() - days * DAY_MS);

interface KeyView {
  kid: string;
  alg: string;
  state: 'next' | 'active' | 'retired';
  retiredAt: string | null;
}

/**
 * The schedule as the gateway runs it: a replica checks keys soon after it starts (and every few
 * minutes after), so moving key dates back while it is stopped and starting it again exercises the
 * real wiring. The embedded database can only be changed while the gateway is stopped.
 */
describe(`key schedule in the gateway (${testBackends.postgresUrl ? 'Postgres' : 'PGlite'})`, () => {
  let gw: GatewayProcess;
  let databaseUrl: string | undefined;
  let dispose: (() => Promise<void>) | undefined;

  const keys = async (instance: string): Promise<KeyView[]> => {
    const res = await gw.admin<{ items: KeyView[] }>('GET', `/instances/${instance}/keys`);
    expect(res.status).toBe(200);
    return res.body.items;
  };

  const jwksKids = async (instance: string): Promise<string[]> => {
    const res = await loopbackFetch(`${gw.issuer(instance)}/.well-known/openid-configuration/jwks`);
    return ((await res.json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);
  };

  /** Sets a key's dates `days` back (those it has), directly in the gateway's database. */
  const backdate = (kid: string, days: number): Promise<Record<string, unknown>[]> =>
    directSql(
      { databaseUrl, dataDir: gw.dataDir },
      `UPDATE signing_keys SET created_at = $1::timestamptz,
         activated_at = CASE WHEN activated_at IS NULL THEN NULL ELSE $1::timestamptz END,
         retired_at = CASE WHEN retired_at IS NULL THEN NULL ELSE $1::timestamptz END
       WHERE kid = $2`,
      [daysAgo(days).toISOString(), kid],
    );

  beforeAll(async () => {
    const started = await startTestGateways({ database: 'idgw_key_schedule' });
    ({ gw, dispose } = started);
    databaseUrl = started.options.databaseUrl;
  });

  afterAll(async () => {
    await dispose?.();
  });

  it('rotates a key older than the schedule and prunes a retired key past the longest token lifetime', async () => {
    for (const name of ['aged', 'fresh', 'pruned']) {
      expect((await gw.admin('POST', '/instances', { name })).status).toBe(201);
    }
    const [aged] = await keys('aged');
    const [fresh] = await keys('fresh');
    const [toPrune] = await keys('pruned');
    const current = await gw.admin<KeyView>('POST', '/instances/pruned/keys/rotate');
    expect(current.status).toBe(201);
    expect(await jwksKids('pruned')).toEqual([current.body.kid, toPrune!.kid]);

    await gw.stop();
    try {
      // 91 days: past the default 90-day schedule. 31 days retired: past the longest default token
      // lifetime (the 30-day refresh token) plus the clock tolerance.
      await backdate(aged!.kid, 91);
      await backdate(toPrune!.kid, 31);
    } finally {
      await gw.spawn();
    }

    const deadline = Date.now() + 20_000;
    let agedKeys = await keys('aged');
    let prunedKeys = await keys('pruned');
    while (Date.now() < deadline && (agedKeys[0]!.kid === aged!.kid || prunedKeys.length > 1)) {
      await new Promise((r) => setTimeout(r, 250));
      agedKeys = await keys('aged');
      prunedKeys = await keys('pruned');
    }

    expect(agedKeys.map((k) => k.state)).toEqual(['active', 'retired']);
    expect(agedKeys[1]!.kid).toBe(aged!.kid);
    // The retired key is still published: tokens it signed keep verifying until they expire.
    expect(await jwksKids('aged')).toEqual([agedKeys[0]!.kid, aged!.kid]);

    expect((await keys('fresh')).map((k) => k.kid)).toEqual([fresh!.kid]);

    expect(prunedKeys.map((k) => k.kid)).toEqual([current.body.kid]);
    expect(await jwksKids('pruned')).toEqual([current.body.kid]);
  });
});

/**
 * The rotation service and the schedule in-process, against Postgres, where every corner can be set up
 * directly in the database. Postgres only: PGlite loads its WebAssembly through a dynamic import that
 * jest's module sandbox refuses (the suite above covers the embedded mode through the gateway).
 */
const describeWithPostgres = (title: string, suite: () => void): void => {
  if (testBackends.postgresUrl) describe(title, suite);
};

describeWithPostgres('key rotation service and schedule (in-process, Postgres)', () => {
  let dataDir: string;
  let dataSource: DataSource;
  let dropDatabase: (() => Promise<void>) | undefined;
  let databaseUrl: string | undefined;
  let keys: InstanceKeysService;
  let rotation: KeyRotationService;
  let job: KeyRotationJob;
  const announced: string[] = [];

  const createInstance = async (
    name: string,
    policies: Record<string, unknown> = {},
  ): Promise<InstanceRef & { cookieKeys: string }> => {
    const id = randomUUID();
    const cookieKeys = keys.sealNewCookieKeys(id);
    const signingKey = await keys.generateSealed(id, 'RS256');
    await dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(InstanceEntity);
      await repo.save(
        repo.create({
          id,
          name,
          displayName: null,
          status: 'active',
          version: 1,
          sites: null,
          policies,
          cookieKeys,
        }),
      );
      await keys.storeActiveSigningKey(manager, id, signingKey);
    });
    return { id, name, cookieKeys };
  };

  const rows = (instanceId: string): Promise<SigningKeyEntity[]> =>
    dataSource.getRepository(SigningKeyEntity).find({ where: { instanceId }, order: { createdAt: 'ASC' } });

  const version = async (instanceId: string): Promise<number> =>
    (await dataSource.getRepository(InstanceEntity).findOneByOrFail({ id: instanceId })).version;

  /** Moves a key's dates back, as if it had been made (and activated, retired) that long ago. */
  const backdate = async (kid: string, days: number): Promise<void> => {
    const at = daysAgo(days);
    await dataSource.query(
      `UPDATE signing_keys SET created_at = $1::timestamptz,
         activated_at = CASE WHEN activated_at IS NULL THEN NULL ELSE $1::timestamptz END,
         retired_at = CASE WHEN retired_at IS NULL THEN NULL ELSE $1::timestamptz END
       WHERE kid = $2`,
      [at.toISOString(), kid],
    );
  };

  const activeKid = async (instanceId: string): Promise<string> =>
    (await rows(instanceId)).find((r) => r.state === 'active')!.kid;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'idgw-keys-'));
    const db = await createTestDatabase('idgw_keys_service');
    databaseUrl = db.url;
    dropDatabase = db.drop;
    dataSource = await createDataSource({ databaseUrl, dataDir }).initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    keys = new InstanceKeysService(new SecretBox(randomBytes(32)), dataSource, new SigningKeyPool());
    const config = new GatewayConfig(
      new ConfigService<RawGatewayConfig, true>(validateConfig({ DATA_DIR: dataDir })),
    );
    // No Redis client: announcements go to this process's listeners only, which is what is checked.
    const changes = new ChangeChannel(null, config);
    changes.onChange((name) => announced.push(name));
    rotation = new KeyRotationService(dataSource, keys, new InstanceVersions(changes));
    job = new KeyRotationJob(dataSource, rotation, new AuditRecorder(dataSource));
  });

  afterAll(async () => {
    await job?.onModuleDestroy();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('rotate', () => {
    it('activates a new key, retires the old one, bumps the version and announces it', async () => {
      const instance = await createInstance('rot-basic');
      const [first] = await rows(instance.id);
      announced.length = 0;

      const rotated = await rotation.rotate(instance);

      expect(rotated).toMatchObject({ alg: 'RS256', state: 'active', retiredAt: null });
      expect(rotated.kid).not.toBe(first!.kid);
      expect(Object.keys(rotated).sort()).toEqual(
        ['activatedAt', 'alg', 'createdAt', 'kid', 'retiredAt', 'state'].sort(),
      );
      const after = await rows(instance.id);
      expect(after.find((r) => r.kid === first!.kid)).toMatchObject({ state: 'retired' });
      expect(after.find((r) => r.kid === first!.kid)!.retiredAt).toBeInstanceOf(Date);
      expect(await version(instance.id)).toBe(2);
      expect(announced).toEqual(['rot-basic']);

      // The issuer signs with the new key and still publishes the old one.
      const material = await keys.loadIssuerKeys(instance.id, instance.cookieKeys);
      expect(material.signingKey).toEqual({ kid: rotated.kid, alg: 'RS256' });
      expect(material.jwks.keys.map((k) => k.kid)).toEqual([rotated.kid, first!.kid]);
    });

    it('lists keys in signing order without key material', async () => {
      const instance = await createInstance('rot-list');
      await rotation.rotate(instance);
      const listed = await rotation.list(instance.id);
      expect(listed.map((k) => k.state)).toEqual(['active', 'retired']);
      expect(JSON.stringify(listed)).not.toMatch(/"(d|p|q|privateJwk|publicJwk)"/);
    });

    it('uses the requested algorithm, else the policy, whatever the active key uses', async () => {
      const instance = await createInstance('rot-alg');
      expect((await rotation.rotate(instance, 'ES256')).alg).toBe('ES256');
      let material = await keys.loadIssuerKeys(instance.id, instance.cookieKeys);
      expect(material.signingKey.alg).toBe('ES256');
      expect((await rotation.rotate(instance, 'EdDSA')).alg).toBe('EdDSA');
      expect((await rotation.rotate(instance, 'PS256')).alg).toBe('PS256');
      // The policy still says RS256.
      expect((await rotation.rotate(instance)).alg).toBe('RS256');
      material = await keys.loadIssuerKeys(instance.id, instance.cookieKeys);
      expect(material.jwks.keys.map((k) => k.alg)).toEqual(['RS256', 'PS256', 'EdDSA', 'ES256', 'RS256']);

      const es = await createInstance('rot-policy-es', { signingAlgorithm: 'ES256' });
      expect((await rotation.rotate(es)).alg).toBe('ES256');
      expect((await rotation.prepareNext(es)).alg).toBe('ES256');
    });

    it('removes retired keys past the longest token lifetime, keeps younger ones', async () => {
      // Longest lifetime: the ID token, 2 hours.
      const instance = await createInstance('rot-prune', {
        tokenLifetimes: { accessToken: 600, clientCredentials: 600, idToken: 7200, refreshToken: 3600 },
      });
      const [original] = await rows(instance.id);
      const second = await rotation.rotate(instance);
      await rotation.rotate(instance);
      // The original was retired 3 hours ago (past retention), the second just now.
      await backdate(original!.kid, 3 / 24);
      await rotation.rotate(instance);
      const kids = (await rows(instance.id)).map((r) => r.kid);
      expect(kids).not.toContain(original!.kid);
      expect(kids).toContain(second.kid);
      expect(kids).toHaveLength(3);
    });

    it('serializes concurrent rotations: one active key afterwards, every rotation counted', async () => {
      const instance = await createInstance('rot-race');
      const results = await Promise.all([
        rotation.rotate(instance),
        rotation.rotate(instance),
        rotation.rotate(instance),
      ]);
      expect(new Set(results.map((r) => r.kid)).size).toBe(3);
      const after = await rows(instance.id);
      expect(after.filter((r) => r.state === 'active')).toHaveLength(1);
      expect(after.filter((r) => r.state === 'retired')).toHaveLength(3);
      expect(await version(instance.id)).toBe(4);
    });

    it('refuses an instance that does not exist', async () => {
      await expect(rotation.rotate({ id: randomUUID(), name: 'gone' })).rejects.toBeInstanceOf(
        UnknownInstance,
      );
    });
  });

  describe('next key', () => {
    it('is published but does not sign, and is promoted by the next rotation', async () => {
      const instance = await createInstance('next-basic');
      const active = await activeKid(instance.id);
      const next = await rotation.prepareNext(instance);
      expect(next).toMatchObject({ state: 'next', alg: 'RS256', activatedAt: null });

      let material = await keys.loadIssuerKeys(instance.id, instance.cookieKeys);
      expect(material.signingKey.kid).toBe(active);
      // Same algorithm, so the order decides which key oidc-provider signs ID tokens with: active first.
      expect(material.jwks.keys.map((k) => k.kid)).toEqual([active, next.kid]);

      // Idempotent: the same next key, no new version.
      const before = await version(instance.id);
      expect((await rotation.prepareNext(instance)).kid).toBe(next.kid);
      expect(await version(instance.id)).toBe(before);

      const rotated = await rotation.rotate(instance);
      expect(rotated.kid).toBe(next.kid);
      material = await keys.loadIssuerKeys(instance.id, instance.cookieKeys);
      expect(material.signingKey.kid).toBe(next.kid);
      expect(material.jwks.keys.map((k) => k.kid)).toEqual([next.kid, active]);
    });

    it('of another algorithm is replaced, never promoted', async () => {
      const instance = await createInstance('next-alg');
      const rsNext = await rotation.prepareNext(instance);
      const esNext = await rotation.prepareNext(instance, 'ES256');
      expect(esNext.kid).not.toBe(rsNext.kid);
      expect((await rows(instance.id)).map((r) => r.kid)).not.toContain(rsNext.kid);
      const rotated = await rotation.rotate(instance);
      expect(rotated.alg).toBe('RS256');
      expect((await rows(instance.id)).map((r) => r.state).sort()).toEqual(['active', 'retired']);
    });
  });

  describe('scheduled rotation', () => {
    it('does not repeat a rotation that happened since the schedule looked', async () => {
      const instance = await createInstance('due-race');
      await backdate(await activeKid(instance.id), 100);
      const cutoff = daysAgo(90);
      await rotation.rotate(instance);
      expect(await rotation.rotateIfDue(instance, cutoff)).toBeNull();
      expect((await rows(instance.id)).filter((r) => r.state === 'retired')).toHaveLength(1);
    });

    it('rotates old keys, publishes next keys in the lead time, prunes expired retired keys', async () => {
      const due = await createInstance('job-due');
      const custom = await createInstance('job-custom', {
        keyRotation: { rotateAfterDays: 10, nextKeyLeadDays: 2 },
      });
      const lead = await createInstance('job-lead');
      const young = await createInstance('job-young');
      const pruned = await createInstance('job-prune');

      const dueKid = await activeKid(due.id);
      await backdate(dueKid, 91);
      await backdate(await activeKid(custom.id), 11);
      // One day before rotation: inside any lead time (at least a day).
      await backdate(await activeKid(lead.id), 89);
      const youngKid = await activeKid(young.id);
      const retiredKid = await activeKid(pruned.id);
      await rotation.rotate(pruned);
      // Retired 31 days ago: past the longest default lifetime (the 30-day refresh token).
      await backdate(retiredKid, 31);

      const report = await job.runOnce();

      expect(report.ran).toBe(true);
      expect(report.failed).toEqual([]);
      expect(report.rotated.sort()).toEqual(['job-custom', 'job-due']);
      expect(report.prepared).toContain('job-lead');
      expect(report.pruned).toContain('job-prune');

      const dueRows = await rows(due.id);
      expect(dueRows.find((r) => r.kid === dueKid)?.state).toBe('retired');
      expect(dueRows.filter((r) => r.state === 'active')).toHaveLength(1);
      expect((await rows(lead.id)).map((r) => r.state).sort()).toEqual(['active', 'next']);
      expect((await rows(young.id)).map((r) => r.kid)).toEqual([youngKid]);
      expect((await rows(pruned.id)).map((r) => r.kid)).not.toContain(retiredKid);

      // The schedule's changes are in each instance's audit trail, done by `system`.
      const activeOfDue = dueRows.find((r) => r.state === 'active')!.kid;
      const audited = (await dataSource.query(
        'SELECT instance_id, actor, action, target_type, target_id FROM audit_events WHERE instance_id = ANY($1)',
        [[due.id, lead.id, young.id]],
      )) as Array<Record<string, string>>;
      expect(audited).toEqual(
        expect.arrayContaining([
          {
            instance_id: due.id,
            actor: 'system',
            action: 'keys.rotated',
            target_type: 'signing_key',
            target_id: activeOfDue,
          },
          expect.objectContaining({ instance_id: lead.id, actor: 'system', action: 'keys.next_published' }),
        ]),
      );
      expect(audited.filter((r) => r.instance_id === young.id)).toEqual([]);

      // Nothing left to do for these instances.
      const again = await job.runOnce();
      for (const name of ['job-due', 'job-custom', 'job-lead', 'job-young', 'job-prune']) {
        expect([...again.rotated, ...again.prepared, ...again.pruned]).not.toContain(name);
      }
    });

    it('promotes the published next key when the schedule rotates', async () => {
      const instance = await createInstance('job-promote');
      await backdate(await activeKid(instance.id), 89);
      await job.runOnce();
      const next = (await rows(instance.id)).find((r) => r.state === 'next')!;
      await backdate(await activeKid(instance.id), 91);
      const report = await job.runOnce();
      expect(report.rotated).toContain('job-promote');
      expect(await activeKid(instance.id)).toBe(next.kid);
    });

    it('leaves the run to the replica that holds the lock', async () => {
      const other = new Client({ connectionString: databaseUrl });
      await other.connect();
      try {
        await other.query('SELECT pg_advisory_lock($1, $2)', [...KEY_SCHEDULE_LOCK]);
        const instance = await createInstance('job-locked');
        await backdate(await activeKid(instance.id), 91);
        expect(await job.runOnce()).toEqual({
          ran: false,
          rotated: [],
          prepared: [],
          pruned: [],
          failed: [],
        });
        await other.query('SELECT pg_advisory_unlock($1, $2)', [...KEY_SCHEDULE_LOCK]);
        expect((await job.runOnce()).rotated).toContain('job-locked');
      } finally {
        await other.end();
      }
    });
  });
});
