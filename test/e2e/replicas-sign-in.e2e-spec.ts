import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import type { GatewayProcess } from '../support/gateway-process';
import { client } from '../support/oidc-client';
import { RelyingPartyListener } from '../support/relying-party';
import { createClient, createUser, discoverClient, signInWithForm } from '../support/sign-in-fixture';
import { SwitchingProxy } from '../support/switching-proxy';
import { usingSharedBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';

const PASSWORD = 'correct horse battery staple';
const shared = usingSharedBackends();

// Two replicas need shared Postgres and Redis; in embedded mode one process plays both parts.
describe(shared ? 'sign-in across two replicas' : 'sign-in through a proxy (one embedded process)', () => {
  let replicas: GatewayProcess[] = [];
  let proxy: SwitchingProxy;
  let rp: RelyingPartyListener;
  let browser: Browser;
  let dispose: (() => Promise<void>) | undefined;
  let config: client.Configuration;
  let issuer: string;

  beforeAll(async () => {
    const started = await startTestGateways({ database: 'idgw_replicas_signin', replicas: 2 });
    dispose = started.dispose;
    const [first, second = first] = started.gateways;
    replicas = [first, second];
    proxy = new SwitchingProxy(replicas.map((r) => r.port));
    await proxy.start();
    rp = new RelyingPartyListener();
    await rp.start();
    const admin = replicas[0]!;
    expect((await admin.admin('POST', '/instances', { name: 'acme' })).status).toBe(201);
    await createUser(admin, 'acme', { username: 'erin', password: PASSWORD, kind: 'internal' });
    const created = await createClient(admin, 'acme', {
      clientId: 'portal',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [rp.url('/cb')],
      scopes: ['openid', 'profile', 'offline_access', 'update'],
    });
    issuer = `http://acme.localhost:${proxy.port}/id`;
    config = await discoverClient(issuer, 'portal', created.clientSecret!);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.stop();
    await rp?.stop();
    await dispose?.();
  });

  it('completes on one replica a sign-in started on the other, and refreshes at either', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: rp.url('/cb'),
      scope: 'openid profile offline_access update',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });

    proxy.use(0);
    await page.goto(url.href);
    expect(page.url()).toContain('/id/interaction/');

    proxy.use(1);
    await signInWithForm(page, 'erin', PASSWORD);
    const callback = new URL(page.url());
    expect(callback.searchParams.get('code')).toBeTruthy();

    proxy.use(0);
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(tokens.claims()!.iss).toBe(issuer);

    proxy.use(1);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
    proxy.use(0);
    const again = await client.refreshTokenGrant(config, refreshed.refresh_token!);
    expect(again.access_token).toBeTruthy();
    await context.close();
  });
});
