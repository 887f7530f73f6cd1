import type { GatewayProcess } from '../support/gateway-process';
import { loopbackFetch } from '../support/loopback-fetch';
import { usingSharedBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';

/** How soon a change made through one process must be seen by the other. */
const PROPAGATION_MS = 1000;

/** Polls until `check` holds, failing after `withinMs`; returns how long it took. */
async function within(withinMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`condition not met within ${withinMs} ms`);
}

// Two processes need shared Postgres and Redis. The embedded mode is one process by design: there the
// same process plays both parts, which still proves a change reaches past its caches at once.
const shared = usingSharedBackends();

describe(
  shared
    ? 'instance changes propagate between two gateway processes sharing Postgres and Redis'
    : 'instance changes propagate within one embedded process',
  () => {
    let writer: GatewayProcess;
    let reader: GatewayProcess;
    let dispose: (() => Promise<void>) | undefined;
    let secret: string;

    const discoveryStatus = async (url: string): Promise<number> => {
      const res = await loopbackFetch(url);
      await res.arrayBuffer();
      return res.status;
    };

    const readerDiscovery = (host: string) =>
      discoveryStatus(`http://${host}:${reader.port}/id/.well-known/openid-configuration`);

    /** The `expires_in` of a new client-credentials token from the reader, or null when refused. */
    const readerTokenLifetime = async (): Promise<number | null> => {
      const res = await loopbackFetch(`${reader.issuer('moving')}/connect/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`svc:${secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      const body = (await res.json()) as { expires_in?: number };
      return res.status === 200 && typeof body.expires_in === 'number' ? body.expires_in : null;
    };

    beforeAll(async () => {
      const started = await startTestGateways({ database: 'idgw_propagation', replicas: 2 });
      [writer, reader = writer] = started.gateways;
      dispose = started.dispose;
      expect((await writer.admin('POST', '/instances', { name: 'moving' })).status).toBe(201);
      const client = await writer.admin<{ clientSecret: string }>('POST', '/instances/moving/clients', {
        clientId: 'svc',
        grantTypes: ['client_credentials'],
      });
      expect(client.status).toBe(201);
      secret = client.body.clientSecret;
      // The reader has built (and cached) the instance's issuer before any change.
      await within(PROPAGATION_MS, async () => (await readerTokenLifetime()) === 3600);
    });

    afterAll(async () => {
      await dispose?.();
    });

    it('applies a policy change to the next token the other process issues', async () => {
      const res = await writer.admin('PATCH', '/instances/moving/policies', {
        tokenLifetimes: { clientCredentials: 600 },
      });
      expect(res.status).toBe(200);
      await within(PROPAGATION_MS, async () => (await readerTokenLifetime()) === 600);
    });

    it('suspends and reactivates on the other process', async () => {
      expect(await readerDiscovery('moving.localhost')).toBe(200);
      expect((await writer.admin('PATCH', '/instances/moving', { status: 'suspended' })).status).toBe(200);
      await within(PROPAGATION_MS, async () => (await readerDiscovery('moving.localhost')) === 503);
      expect((await writer.admin('PATCH', '/instances/moving', { status: 'active' })).status).toBe(200);
      await within(PROPAGATION_MS, async () => (await readerDiscovery('moving.localhost')) === 200);
      expect(await readerTokenLifetime()).toBe(600);
    });

    it('serves a custom domain given on one process at the other, and stops when it is taken away', async () => {
      // The reader has looked the domain up and cached "unknown".
      expect(await readerDiscovery('id.moving.test')).toBe(404);
      const given = await writer.admin('PATCH', '/instances/moving', { customDomains: ['id.moving.test'] });
      expect(given.status).toBe(200);
      await within(PROPAGATION_MS, async () => (await readerDiscovery('id.moving.test')) === 200);
      expect((await writer.admin('PATCH', '/instances/moving', { customDomains: [] })).status).toBe(200);
      await within(PROPAGATION_MS, async () => (await readerDiscovery('id.moving.test')) === 404);
    });

    it('forgets a deleted instance on the other process', async () => {
      await writer.admin('PATCH', '/instances/moving', { customDomains: ['id.moving.test'] });
      await within(PROPAGATION_MS, async () => (await readerDiscovery('id.moving.test')) === 200);
      expect((await writer.admin('DELETE', '/instances/moving')).status).toBe(204);
      await within(
        PROPAGATION_MS,
        async () =>
          (await readerDiscovery('moving.localhost')) === 404 &&
          (await readerDiscovery('id.moving.test')) === 404,
      );
      expect(await readerTokenLifetime()).toBeNull();
    });
  },
);
