import type { GatewayProcess } from '../support/gateway-process';
import { usingSharedBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';
import { clientCredentials, within } from '../support/token-requests';

/** How soon a change made through one process must be seen by the other. */
const PROPAGATION_MS = 1000;

// Two processes need shared Postgres and Redis. The embedded mode is one process by design: there the
// same process plays both parts, which still proves a change reaches past its caches at once.
const shared = usingSharedBackends();

describe(
  shared
    ? 'client and service account changes propagate between two gateway processes sharing Postgres and Redis'
    : 'client and service account changes propagate within one embedded process',
  () => {
    let writer: GatewayProcess;
    let reader: GatewayProcess;
    let dispose: (() => Promise<void>) | undefined;

    /** The status of a client-credentials token request at the reader. */
    const readerToken = async (clientId: string, secret: string): Promise<number> =>
      (await clientCredentials(reader.issuer('spreading'), clientId, secret, { scope: 'read' })).status;

    const createClient = async (clientId: string): Promise<string> => {
      const res = await writer.admin<{ clientSecret: string }>('POST', '/instances/spreading/clients', {
        clientId,
        grantTypes: ['client_credentials'],
        scopes: ['read'],
      });
      expect(res.status).toBe(201);
      return res.body.clientSecret;
    };

    beforeAll(async () => {
      const started = await startTestGateways({ database: 'idgw_client_propagation', replicas: 2 });
      [writer, reader = writer] = started.gateways;
      dispose = started.dispose;
      expect((await writer.admin('POST', '/instances', { name: 'spreading' })).status).toBe(201);
    });

    afterAll(async () => {
      await dispose?.();
    });

    it('a rotation without grace: the other process refuses the old secret and takes the new one', async () => {
      const old = await createClient('rotated-at-once');
      // The reader has built the issuer and verified (and remembered) the old secret.
      await within(PROPAGATION_MS, async () => (await readerToken('rotated-at-once', old)) === 200);
      const res = await writer.admin<{ clientSecret: string }>(
        'POST',
        '/instances/spreading/clients/rotated-at-once/secret',
      );
      expect(res.status).toBe(200);
      await within(PROPAGATION_MS, async () => (await readerToken('rotated-at-once', old)) === 401);
      expect(await readerToken('rotated-at-once', res.body.clientSecret)).toBe(200);
    });

    it('a rotation with grace: the other process takes both secrets, then only the new one', async () => {
      const old = await createClient('rotated-gracefully');
      await within(PROPAGATION_MS, async () => (await readerToken('rotated-gracefully', old)) === 200);
      const res = await writer.admin<{ clientSecret: string; previousSecretExpiresAt: string }>(
        'POST',
        '/instances/spreading/clients/rotated-gracefully/secret',
        { gracePeriodSeconds: 2 },
      );
      expect(res.status).toBe(200);
      const fresh = res.body.clientSecret;
      await within(PROPAGATION_MS, async () => (await readerToken('rotated-gracefully', fresh)) === 200);
      expect(await readerToken('rotated-gracefully', old)).toBe(200);
      await within(5_000, async () => (await readerToken('rotated-gracefully', old)) === 401, 100);
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(res.body.previousSecretExpiresAt));
      expect(await readerToken('rotated-gracefully', fresh)).toBe(200);
    });

    it('a service account disabled on one process is refused by the other, and comes back when enabled', async () => {
      const created = await writer.admin<{ id: string; clientId: string; clientSecret: string }>(
        'POST',
        '/instances/spreading/service-accounts',
        { name: 'switched', scopes: ['read'] },
      );
      expect(created.status).toBe(201);
      const { id, clientId, clientSecret } = created.body;
      await within(PROPAGATION_MS, async () => (await readerToken(clientId, clientSecret)) === 200);

      const path = `/instances/spreading/service-accounts/${id}`;
      expect((await writer.admin('PATCH', path, { status: 'disabled' })).status).toBe(200);
      await within(PROPAGATION_MS, async () => (await readerToken(clientId, clientSecret)) === 401);
      expect((await writer.admin('PATCH', path, { status: 'active' })).status).toBe(200);
      await within(PROPAGATION_MS, async () => (await readerToken(clientId, clientSecret)) === 200);
    });

    it('a service account secret rotated on one process is refused by the other', async () => {
      const created = await writer.admin<{ id: string; clientId: string; clientSecret: string }>(
        'POST',
        '/instances/spreading/service-accounts',
        { name: 'rotated', scopes: ['read'] },
      );
      const { id, clientId, clientSecret } = created.body;
      await within(PROPAGATION_MS, async () => (await readerToken(clientId, clientSecret)) === 200);
      const res = await writer.admin<{ clientSecret: string }>(
        'POST',
        `/instances/spreading/service-accounts/${id}/secret`,
      );
      expect(res.status).toBe(200);
      await within(PROPAGATION_MS, async () => (await readerToken(clientId, clientSecret)) === 401);
      expect(await readerToken(clientId, res.body.clientSecret)).toBe(200);
    });

    it('a client deleted on one process is refused by the other', async () => {
      const secret = await createClient('deleted');
      await within(PROPAGATION_MS, async () => (await readerToken('deleted', secret)) === 200);
      expect((await writer.admin('DELETE', '/instances/spreading/clients/deleted')).status).toBe(204);
      await within(PROPAGATION_MS, async () => (await readerToken('deleted', secret)) === 401);
    });
  },
);
