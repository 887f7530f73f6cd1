import type { GatewayConfig } from '@erp-id/config';
import type { InstanceRecord, InstanceRegistry } from '@erp-id/tenancy';
import type Provider from 'oidc-provider';
import { IssuerPool } from './issuer-pool';
import type { ProviderFactory } from './provider-factory';

const record = (name: string, version = 1): InstanceRecord => ({
  id: `${name}-id`,
  name,
  displayName: null,
  status: 'active',
  version,
  sites: null,
  policies: {},
  apis: null,
  sealedCookieKeys: '',
});

function setup(options: { max?: number; idleMs?: number; fail?: number } = {}) {
  let failures = options.fail ?? 0;
  const builds: string[] = [];
  const factory = {
    build: async (instance: InstanceRecord, origin: string) => {
      builds.push(`${origin}@${instance.version}`);
      await new Promise((r) => setTimeout(r, 10));
      if (failures > 0) {
        failures -= 1;
        throw new Error('database unavailable');
      }
      return { callback: () => () => undefined } as unknown as Provider;
    },
  } as unknown as ProviderFactory;
  let invalidate: (name: string) => void = () => undefined;
  const registry = {
    onInvalidate: (fn: (name: string) => void) => (invalidate = fn),
  } as unknown as InstanceRegistry;
  const config = {
    issuerPoolMax: options.max ?? 10,
    issuerIdleMs: options.idleMs ?? 60_000,
  } as GatewayConfig;
  const pool = new IssuerPool(factory, registry, config);
  pool.onModuleInit();
  return { pool, builds, invalidate: (name: string) => invalidate(name) };
}

describe('IssuerPool', () => {
  it('shares one build between concurrent first requests', async () => {
    const { pool, builds } = setup();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => pool.get(record('acme'), 'http://acme.localhost')),
    );
    expect(builds).toEqual(['http://acme.localhost@1']);
    expect(new Set(results).size).toBe(1);
    expect(pool.get(record('acme'), 'http://acme.localhost')).toBe(results[0]);
  });

  it('rebuilds when the instance version changes, and per origin', async () => {
    const { pool, builds } = setup();
    await pool.get(record('acme', 1), 'http://acme.localhost');
    await pool.get(record('acme', 2), 'http://acme.localhost');
    await pool.get(record('acme', 2), 'https://acme.example.com');
    expect(builds).toEqual([
      'http://acme.localhost@1',
      'http://acme.localhost@2',
      'https://acme.example.com@2',
    ]);
  });

  it('drops every origin of an invalidated instance, and only that instance', async () => {
    const { pool, builds, invalidate } = setup();
    await pool.get(record('acme'), 'http://acme.localhost');
    await pool.get(record('acme'), 'https://acme.example.com');
    await pool.get(record('other'), 'http://other.localhost');
    invalidate('acme');
    expect(pool.snapshot().size).toBe(1);
    await pool.get(record('other'), 'http://other.localhost');
    expect(builds).toHaveLength(3);
  });

  it('forgets a failed build so the next request retries', async () => {
    const { pool, builds } = setup({ fail: 1 });
    await expect(pool.get(record('acme'), 'http://acme.localhost')).rejects.toThrow('database unavailable');
    await expect(pool.get(record('acme'), 'http://acme.localhost')).resolves.toBeDefined();
    expect(builds).toHaveLength(2);
  });

  it('caps its size and evicts idle issuers', async () => {
    const { pool } = setup({ max: 2, idleMs: 50 });
    for (const name of ['a', 'b', 'c']) await pool.get(record(name), `http://${name}.localhost`);
    expect(pool.snapshot()).toMatchObject({ size: 2, builds: 3, evictions: 1 });
    await new Promise((r) => setTimeout(r, 120));
    expect(pool.snapshot().size).toBe(0);
  });
});
