import type { GatewayProcess } from '../support/gateway-process';
import { loopbackFetch } from '../support/loopback-fetch';
import { createClient } from '../support/sign-in-fixture';
import { startTestGateways } from '../support/test-gateways';

/** Behind a trusted proxy (the ingress), as in production: https origins and Secure cookies. */
describe('behind a trusted proxy', () => {
  let gw: GatewayProcess;
  let dispose: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ gw, dispose } = await startTestGateways({
      database: 'idgw_proxy',
      env: { TRUSTED_PROXIES: '127.0.0.1/32,::1/128' },
    }));
    expect((await gw.admin('POST', '/instances', { name: 'acme' })).status).toBe(201);
    await createClient(gw, 'acme', {
      clientId: 'portal',
      grantTypes: ['authorization_code'],
      redirectUris: ['https://portal.acme.example/cb'],
      scopes: ['openid'],
      tokenEndpointAuthMethod: 'none',
    });
  });

  afterAll(async () => {
    await dispose?.();
  });

  const forwarded = { 'x-forwarded-host': 'acme.my.erp.test', 'x-forwarded-proto': 'https' };

  it('advertises the forwarded https origin in discovery', async () => {
    const res = await loopbackFetch(`http://127.0.0.1:${gw.port}/id/.well-known/openid-configuration`, {
      headers: { ...forwarded, host: 'internal:3000' },
    });
    // acme.my.erp.test is not under BASE_DOMAIN (localhost): unknown host.
    expect(res.status).toBe(404);
    const doc = await (
      await loopbackFetch(`${gw.origin('acme')}/id/.well-known/openid-configuration`, {
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': `acme.localhost` },
      })
    ).json();
    expect(doc).toMatchObject({
      issuer: 'https://acme.localhost/id',
      token_endpoint: 'https://acme.localhost/id/connect/token',
    });
  });

  it('sets HttpOnly, SameSite=Lax cookies without a Domain, Secure over https only', async () => {
    const authorize = (headers: Record<string, string>) =>
      loopbackFetch(
        `${gw.origin('acme')}/id/connect/authorize?` +
          new URLSearchParams({
            client_id: 'portal',
            response_type: 'code',
            redirect_uri: 'https://portal.acme.example/cb',
            scope: 'openid',
            code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
            code_challenge_method: 'S256',
          }).toString(),
        { redirect: 'manual', headers },
      );
    const overHttps = await authorize({ 'x-forwarded-proto': 'https' });
    expect(overHttps.status).toBe(303);
    const secureCookies = overHttps.headers.getSetCookie();
    expect(secureCookies.length).toBeGreaterThan(0);
    for (const cookie of secureCookies) {
      const attributes = cookie.toLowerCase();
      expect(attributes).toContain('httponly');
      expect(attributes).toContain('samesite=lax');
      expect(attributes).toContain('secure');
      expect(attributes).not.toContain('domain=');
    }
    const overHttp = await authorize({});
    for (const cookie of overHttp.headers.getSetCookie())
      expect(cookie.toLowerCase()).not.toContain('secure');
  });
});
