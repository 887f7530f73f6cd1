// TEMPORARY verification (deleted after the run): disabling / re-passwording a user ends sessions and grants.
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { GatewayProcess } from '../support/gateway-process';
import { client } from '../support/oidc-client';
import { RelyingPartyListener } from '../support/relying-party';
import { createClient, createUser, discoverClient, signInWithForm } from '../support/sign-in-fixture';
import { createTestDatabase, testBackends, uniqueKeyPrefix } from '../support/test-backends';

const PASSWORD = 'correct horse battery staple';

describe('tmp revoke', () => {
  let gw: GatewayProcess;
  let rp: RelyingPartyListener;
  let browser: Browser;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (testBackends.postgresUrl) {
      const db = await createTestDatabase('idgw_tmp');
      databaseUrl = db.url;
      drop = db.drop;
    }
    rp = new RelyingPartyListener();
    await rp.start();
    gw = await GatewayProcess.start({ databaseUrl, redisUrl: testBackends.redisUrl, redisKeyPrefix: uniqueKeyPrefix() });
    expect((await gw.admin('POST', '/instances', { name: 'shop' })).status).toBe(201);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await rp?.stop?.();
    await gw?.dispose();
    await drop?.();
  });

  it.each([['disable', { status: 'disabled' }], ['password', { password: 'a brand new password' }], ['delete', null]])(
    '%s ends sessions and refresh tokens',
    async (label, patch) => {
      const user = await createUser(gw, 'shop', { username: `u-${label}`, password: PASSWORD, kind: 'internal' });
      const webapp = await createClient(gw, 'shop', {
        clientId: `webapp-${label}`,
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [rp.url('/cb')],
        scopes: ['openid', 'profile', 'offline_access'],
      });
      const config = await discoverClient(gw.issuer('shop'), webapp.clientId, webapp.clientSecret!);
      const context = await browser.newContext();
      const page: Page = await context.newPage();
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: rp.url('/cb'),
        scope: 'openid profile offline_access',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      await page.goto(url.href);
      await signInWithForm(page, user.username, PASSWORD);
      const tokens = await client.authorizationCodeGrant(config, new URL(page.url()), {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      expect(tokens.refresh_token).toBeTruthy();
      // session alive: prompt=none works
      const v2 = client.randomPKCECodeVerifier();
      await page.goto(client.buildAuthorizationUrl(config, { redirect_uri: rp.url('/cb'), scope: 'openid', prompt: 'none', state: 's2', code_challenge: await client.calculatePKCECodeChallenge(v2), code_challenge_method: 'S256' }).href);
      expect(new URL(page.url()).searchParams.get('code')).toBeTruthy();

      const res = patch === null
        ? await gw.admin('DELETE', `/instances/shop/users/${user.id}`)
        : await gw.admin('PATCH', `/instances/shop/users/${user.id}`, patch);
      expect(res.status).toBe(patch === null ? 204 : 200);

      await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toThrow(/invalid_grant|grant/i);
      const v3 = client.randomPKCECodeVerifier();
      await page.goto(client.buildAuthorizationUrl(config, { redirect_uri: rp.url('/cb'), scope: 'openid', prompt: 'none', state: 's3', code_challenge: await client.calculatePKCECodeChallenge(v3), code_challenge_method: 'S256' }).href);
      expect(new URL(page.url()).searchParams.get('error')).toBe('login_required');
      await context.close();
    },
  );
});
