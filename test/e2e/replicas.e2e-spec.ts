import type { GatewayProcess } from '../support/gateway-process';
import { loopbackFetch } from '../support/loopback-fetch';
import { usingSharedBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';

/** Polls until `check` holds, failing after `withinMs`; returns how long it took. */
async function within(withinMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`condition not met within ${withinMs} ms`);
}

const discoveryStatus = async (gw: GatewayProcess, name: string): Promise<number> => {
  const res = await loopbackFetch(`${gw.origin(name)}/id/.well-known/openid-configuration`);
  await res.arrayBuffer();
  return res.status;
};

// Two replicas need shared Postgres and Redis. The embedded mode is one process by design: there the
// same process plays both parts, which still proves a change reaches past its caches at once.
const shared = usingSharedBackends();

describe(
  shared ? 'two replicas sharing Postgres and Redis' : 'one embedded process (in-process change channel)',
  () => {
    let one: GatewayProcess;
    let two: GatewayProcess;
    let dispose: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const started = await startTestGateways({ database: 'idgw_replicas', replicas: 2 });
      [one, two = one] = started.gateways;
      dispose = started.dispose;
    });

    afterAll(async () => {
      await dispose?.();
    });

    it('serves an instance created through the other replica within a second, despite a cached miss', async () => {
      // Replica two has looked the name up and cached "unknown".
      expect(await discoveryStatus(two, 'fresh')).toBe(404);
      expect((await one.admin('POST', '/instances', { name: 'fresh' })).status).toBe(201);
      await within(1000, async () => (await discoveryStatus(two, 'fresh')) === 200);
    });

    it('drops a deleted instance on the other replica within a second', async () => {
      expect(await discoveryStatus(two, 'fresh')).toBe(200);
      expect((await one.admin('DELETE', '/instances/fresh')).status).toBe(204);
      await within(1000, async () => (await discoveryStatus(two, 'fresh')) === 404);
    });

    it('accepts a client created through one replica at the other within a second', async () => {
      expect((await one.admin('POST', '/instances', { name: 'shared' })).status).toBe(201);
      const created = await one.admin<{ clientId: string; clientSecret: string }>(
        'POST',
        '/instances/shared/clients',
        {
          clientId: 'svc',
          grantTypes: ['client_credentials'],
        },
      );
      const auth = `Basic ${Buffer.from(`svc:${created.body.clientSecret}`).toString('base64')}`;
      await within(1000, async () => {
        const res = await loopbackFetch(`${two.issuer('shared')}/connect/token`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials',
        });
        await res.arrayBuffer();
        return res.status === 200;
      });
    });
  },
);
