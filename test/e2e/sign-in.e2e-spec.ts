import AxeBuilder from '@axe-core/playwright';
import { decodeJwt } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import type { GatewayProcess } from '../support/gateway-process';
import { loopbackFetch } from '../support/loopback-fetch';
import { client } from '../support/oidc-client';
import { RelyingPartyListener } from '../support/relying-party';
import {
  createClient,
  createUser,
  type CreatedClientCredentials,
  type CreatedUser,
  discoverClient,
  discoverPublicClient,
  signInExpectingRedirect,
  signInWithForm,
} from '../support/sign-in-fixture';
import { testBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';

const INSTANCE = 'shop';
const OTHER = 'rival';
const PASSWORD = 'correct horse battery staple';
const HYBRID_CALLBACK = 'https://app.example.com/cb';

interface StartedFlow {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

describe(`interactive sign-in (${testBackends.postgresUrl ? 'Postgres' : 'PGlite'} + ${testBackends.redisUrl ? 'Redis' : 'in-process state'})`, () => {
  let gw: GatewayProcess;
  let rp: RelyingPartyListener;
  let browser: Browser;
  let dispose: (() => Promise<void>) | undefined;
  let alice: CreatedUser;
  let bob: CreatedUser;
  let carol: CreatedUser;
  let webapp: CreatedClientCredentials;
  let webappConfig: client.Configuration;
  let spaConfig: client.Configuration;
  let context: BrowserContext;
  let page: Page;

  const issuer = (name = INSTANCE) => gw.issuer(name);

  async function startFlow(
    config: client.Configuration,
    params: Record<string, string> = {},
  ): Promise<StartedFlow> {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: rp.url('/cb'),
      scope: 'openid profile email offline_access update',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...params,
    });
    return { url, verifier, state, nonce };
  }

  /** Drives the browser through the authorization request; signs in when the form appears. */
  async function authorize(flow: StartedFlow, user?: { username: string; password: string }): Promise<URL> {
    await page.goto(flow.url.href);
    if (user && page.url().includes('/id/interaction/'))
      await signInWithForm(page, user.username, user.password);
    return new URL(page.url());
  }

  async function codeFlow(
    config: client.Configuration,
    username: string,
    params: Record<string, string> = {},
  ) {
    const flow = await startFlow(config, params);
    const callback = await authorize(flow, { username, password: PASSWORD });
    expect(callback.origin + callback.pathname).toBe(rp.url('/cb'));
    return client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    });
  }

  beforeAll(async () => {
    rp = new RelyingPartyListener();
    await rp.start();
    ({ gw, dispose } = await startTestGateways({ database: 'idgw_signin' }));
    for (const [name, displayName] of [
      [INSTANCE, 'Shop Ltd'],
      [OTHER, 'Rival Inc'],
    ]) {
      expect((await gw.admin('POST', '/instances', { name, displayName })).status).toBe(201);
    }
    alice = await createUser(gw, INSTANCE, {
      username: 'alice',
      password: PASSWORD,
      kind: 'internal',
      name: 'Alice Smith',
      email: 'alice@shop.example',
    });
    bob = await createUser(gw, INSTANCE, {
      username: 'bob',
      password: PASSWORD,
      kind: 'external',
      name: 'Bob Customer',
    });
    carol = await createUser(gw, INSTANCE, { username: 'carol', password: PASSWORD, kind: 'internal' });
    const interactive = {
      redirectUris: [rp.url('/cb')],
      postLogoutRedirectUris: [rp.url('/signed-out')],
      scopes: ['openid', 'profile', 'email', 'offline_access', 'read', 'update'],
    };
    webapp = await createClient(gw, INSTANCE, {
      clientId: 'webapp',
      grantTypes: ['authorization_code', 'refresh_token'],
      backchannelLogoutUri: rp.url('/backchannel'),
      frontchannelLogoutUri: rp.url('/frontchannel'),
      ...interactive,
    });
    await createClient(gw, INSTANCE, {
      clientId: 'spa',
      grantTypes: ['authorization_code'],
      tokenEndpointAuthMethod: 'none',
      ...interactive,
    });
    await createClient(gw, INSTANCE, {
      clientId: 'hybrid',
      grantTypes: ['authorization_code'],
      responseTypes: ['code id_token', 'id_token'],
      redirectUris: [HYBRID_CALLBACK],
      scopes: ['openid', 'profile'],
    });
    await createClient(gw, INSTANCE, {
      clientId: 'legacy',
      grantTypes: ['implicit'],
      responseTypes: ['token'],
      redirectUris: [HYBRID_CALLBACK],
      scopes: ['read', 'update'],
    });
    await createClient(gw, INSTANCE, {
      clientId: 'partner',
      grantTypes: ['authorization_code'],
      requireConsent: true,
      ...interactive,
    });
    webappConfig = await discoverClient(issuer(), 'webapp', webapp.clientSecret!);
    spaConfig = await discoverPublicClient(issuer(), 'spa');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await dispose?.();
    await rp?.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
    await page.route(`${HYBRID_CALLBACK}**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!DOCTYPE html><title>App</title>' }),
    );
  });

  afterEach(async () => {
    await context.close();
  });

  describe('sign-in page', () => {
    it('shows the instance, has no accessibility violations, and is neither cached nor framable', async () => {
      const flow = await startFlow(webappConfig, { login_hint: 'alice' });
      const response = await page.goto(flow.url.href);
      expect(page.url()).toContain('/id/interaction/');
      await expect(page.getByText('Shop Ltd')).toBeTruthy();
      expect(await page.getByLabel('Username').inputValue()).toBe('alice');
      expect(await page.locator('form input[name=username]').count()).toBe(1);
      expect(await page.locator('form input[name=password][type=password]').count()).toBe(1);
      expect(await page.locator('form button[type=submit]').count()).toBe(1);
      const headers = response!.headers();
      expect(headers['cache-control']).toBe('no-store');
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
      const axe = await new AxeBuilder({ page }).analyze();
      expect(axe.violations.map((v) => v.id)).toEqual([]);

      // A wrong password: same message as an unknown user, still accessible.
      await signInWithForm(page, 'alice', 'wrong password');
      const wrongPassword = await page.locator('[role=alert]').textContent();
      await signInWithForm(page, 'nobody-by-this-name', 'wrong password');
      expect(await page.locator('[role=alert]').textContent()).toBe(wrongPassword);
      expect((await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id)).toEqual([]);
    });

    it('refuses a form post without the CSRF token', async () => {
      const flow = await startFlow(webappConfig);
      await page.goto(flow.url.href);
      await page.locator('input[name=csrf]').evaluate((input) => input.remove());
      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill(PASSWORD);
      const [response] = await Promise.all([
        page.waitForNavigation(),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      expect(response!.status()).toBe(400);
      expect(page.url()).toContain('/id/interaction/');
    });
  });

  describe('authorization code flow', () => {
    it('signs in with code + PKCE (confidential client): ID token, API access token, refresh token, userinfo', async () => {
      const tokens = await codeFlow(webappConfig, 'alice');
      const claims = tokens.claims()!;
      expect(claims).toMatchObject({ iss: issuer(), sub: alice.id, aud: 'webapp' });
      expect(typeof claims.nonce).toBe('string');
      const access = decodeJwt(tokens.access_token);
      expect(access).toMatchObject({
        iss: issuer(),
        sub: alice.id,
        client_id: 'webapp',
        aud: `${gw.origin(INSTANCE)}/api/domain`,
      });
      expect(String(access.scope).split(' ')).toContain('update');
      expect(tokens.refresh_token).toBeDefined();
    });

    it('serves profile claims at userinfo with a token issued for it (no API scopes requested)', async () => {
      const tokens = await codeFlow(webappConfig, 'alice', { scope: 'openid profile email' });
      expect(tokens.access_token.split('.')).toHaveLength(1);
      const info = await client.fetchUserInfo(webappConfig, tokens.access_token, alice.id);
      expect(info).toMatchObject({
        sub: alice.id,
        name: 'Alice Smith',
        preferred_username: 'alice',
        email: 'alice@shop.example',
      });
      // The subject is stable per user and instance.
      const again = await codeFlow(spaConfig, 'alice', { scope: 'openid' });
      expect(again.claims()!.sub).toBe(alice.id);
    });

    it('includes iss and state in the authorization response', async () => {
      const flow = await startFlow(webappConfig);
      const callback = await authorize(flow, { username: 'alice', password: PASSWORD });
      expect(callback.searchParams.get('iss')).toBe(issuer());
      expect(callback.searchParams.get('state')).toBe(flow.state);
      expect(callback.searchParams.get('code')).toBeTruthy();
    });

    it('signs in a public client with PKCE, without a refresh token', async () => {
      const tokens = await codeFlow(spaConfig, 'alice');
      expect(tokens.claims()!.sub).toBe(alice.id);
      expect(tokens.refresh_token).toBeUndefined();
    });

    it('requires PKCE from public clients and refuses plain', async () => {
      const withoutPkce = client.buildAuthorizationUrl(spaConfig, {
        redirect_uri: rp.url('/cb'),
        scope: 'openid',
        state: 's',
      });
      await page.goto(withoutPkce.href);
      const callback = new URL(page.url());
      expect(callback.searchParams.get('error')).toBe('invalid_request');
      const plain = client.buildAuthorizationUrl(spaConfig, {
        redirect_uri: rp.url('/cb'),
        scope: 'openid',
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'plain',
      });
      await page.goto(plain.href);
      expect(new URL(page.url()).searchParams.get('error')).toBe('invalid_request');
    });

    it('rotates refresh tokens and revokes the grant when a used one comes back', async () => {
      const tokens = await codeFlow(webappConfig, 'alice');
      const first = tokens.refresh_token!;
      const second = await client.refreshTokenGrant(webappConfig, first);
      expect(second.refresh_token).toBeDefined();
      expect(second.refresh_token).not.toBe(first);
      await expect(client.refreshTokenGrant(webappConfig, first)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
      // Reuse revoked the whole grant: the newest refresh token is dead too.
      await expect(client.refreshTokenGrant(webappConfig, second.refresh_token!)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
    });

    it('answers prompt=none from the session, and login_required without one', async () => {
      await codeFlow(webappConfig, 'alice');
      const silent = await startFlow(webappConfig, { prompt: 'none' });
      const callback = await authorize(silent);
      expect(callback.searchParams.get('code')).toBeTruthy();

      const fresh = await browser.newContext();
      const other = await fresh.newPage();
      const noSession = await startFlow(webappConfig, { prompt: 'none' });
      await other.goto(noSession.url.href);
      expect(new URL(other.url()).searchParams.get('error')).toBe('login_required');
      await fresh.close();
    });

    it('asks again for prompt=login and max_age=0', async () => {
      await codeFlow(webappConfig, 'alice');
      for (const params of [{ prompt: 'login' }, { max_age: '0' }] as Record<string, string>[]) {
        const flow = await startFlow(webappConfig, params);
        await page.goto(flow.url.href);
        expect(page.url()).toContain('/id/interaction/');
      }
    });

    it('shows a consent page only to clients that require it', async () => {
      const partner = await discoverPublicClient(issuer(), 'partner');
      const flow = await startFlow(partner, { scope: 'openid profile' });
      await authorize(flow, { username: 'alice', password: PASSWORD });
      expect(page.url()).toContain('/id/interaction/');
      expect(await page.getByRole('heading').textContent()).toContain('partner');
      expect((await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id)).toEqual([]);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Allow' }).click()]);
      expect(new URL(page.url()).searchParams.get('code')).toBeTruthy();
    });
  });

  describe('hybrid and implicit', () => {
    it('completes code id_token with a nonce', async () => {
      // The test stops at the callback (no token request), so the client secret is never used.
      const hybrid = await discoverClient(issuer(), 'hybrid', 'not-used-without-a-token-request');
      client.useCodeIdTokenResponseType(hybrid);
      const nonce = client.randomNonce();
      const state = client.randomState();
      const verifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(hybrid, {
        redirect_uri: HYBRID_CALLBACK,
        scope: 'openid profile',
        nonce,
        state,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      await page.goto(url.href);
      const callback = await signInExpectingRedirect(page, 'alice', PASSWORD, HYBRID_CALLBACK);
      const fragment = new URLSearchParams(callback.hash.slice(1));
      expect(fragment.get('code')).toBeTruthy();
      const idToken = decodeJwt(fragment.get('id_token')!);
      expect(idToken).toMatchObject({ iss: issuer(), sub: alice.id, nonce, aud: 'hybrid' });
      expect(typeof idToken.c_hash).toBe('string');
    });

    it('completes implicit id_token with a nonce, and refuses one without', async () => {
      const implicit = await discoverPublicClient(issuer(), 'hybrid');
      client.useIdTokenResponseType(implicit);
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(implicit, {
        redirect_uri: HYBRID_CALLBACK,
        scope: 'openid',
        nonce,
      });
      await page.goto(url.href);
      const callback = await signInExpectingRedirect(page, 'alice', PASSWORD, HYBRID_CALLBACK);
      const fragment = new URLSearchParams(callback.hash.slice(1));
      expect(decodeJwt(fragment.get('id_token')!)).toMatchObject({ sub: alice.id, nonce });
      expect(fragment.get('access_token')).toBeNull();

      // openid-client will not even build such a request; a misbehaving app might.
      const withoutNonce = new URL(`${issuer()}/connect/authorize`);
      withoutNonce.search = new URLSearchParams({
        client_id: 'hybrid',
        response_type: 'id_token',
        redirect_uri: HYBRID_CALLBACK,
        scope: 'openid',
      }).toString();
      const refused = await loopbackFetch(withoutNonce.href, { redirect: 'manual' });
      const location = new URL(refused.headers.get('location') ?? 'about:blank');
      expect(location.href.startsWith(HYBRID_CALLBACK)).toBe(true);
      expect(new URLSearchParams(location.hash.slice(1)).get('error')).toBe('invalid_request');
    });

    it('completes the legacy token response: an API access token in the fragment, no ID token', async () => {
      const state = client.randomState();
      const url = new URL(`${issuer()}/connect/authorize`);
      url.search = new URLSearchParams({
        client_id: 'legacy',
        response_type: 'token',
        redirect_uri: HYBRID_CALLBACK,
        scope: 'update',
        state,
      }).toString();
      await page.goto(url.href);
      const callback = await signInExpectingRedirect(page, 'alice', PASSWORD, HYBRID_CALLBACK);
      const fragment = new URLSearchParams(callback.hash.slice(1));
      expect(fragment.get('state')).toBe(state);
      expect(fragment.get('token_type')).toBe('Bearer');
      expect(fragment.get('id_token')).toBeNull();
      expect(fragment.get('iss')).toBe(issuer());
      const access = decodeJwt(fragment.get('access_token')!);
      expect(access).toMatchObject({
        iss: issuer(),
        sub: alice.id,
        client_id: 'legacy',
        aud: `${gw.origin(INSTANCE)}/api/domain`,
      });
      expect(String(access.scope).split(' ')).toContain('update');
    });

    it('refuses token for clients not registered for it, and the id_token token type altogether', async () => {
      for (const [clientId, responseType, redirect] of [
        ['hybrid', 'token', HYBRID_CALLBACK],
        ['legacy', 'id_token token', HYBRID_CALLBACK],
      ]) {
        const url = new URL(`${issuer()}/connect/authorize`);
        url.search = new URLSearchParams({
          client_id: clientId,
          response_type: responseType,
          redirect_uri: redirect,
          scope: 'openid',
          nonce: 'n',
        }).toString();
        const res = await loopbackFetch(url.href, { redirect: 'manual' });
        const location = new URL(res.headers.get('location') ?? 'about:blank');
        const params = new URLSearchParams(location.hash.slice(1) || location.search.slice(1));
        expect(['unsupported_response_type', 'invalid_request', 'unauthorized_client']).toContain(
          params.get('error'),
        );
        expect(params.get('access_token')).toBeNull();
        expect(params.get('id_token')).toBeNull();
      }
    });

    it('refuses a response type the client did not register', async () => {
      const url = client.buildAuthorizationUrl(webappConfig, {
        redirect_uri: rp.url('/cb'),
        scope: 'openid',
        response_type: 'id_token',
        nonce: 'n',
      });
      await page.goto(url.href);
      const callback = new URL(page.url());
      const error =
        callback.searchParams.get('error') ?? new URLSearchParams(callback.hash.slice(1)).get('error');
      // oidc-provider answers with invalid_request and says why; the point is that nothing is issued.
      expect(error).toBe('invalid_request');
      expect(callback.hash + callback.search).toContain('response_type+is+not+allowed');
      expect(callback.hash + callback.search).not.toContain('id_token=');
    });
  });

  describe('external users', () => {
    it('sign in and get an ID token, but never an access token with API scopes', async () => {
      const tokens = await codeFlow(webappConfig, 'bob');
      expect(tokens.claims()!.sub).toBe(bob.id);
      const access = decodeJwt(tokens.access_token.includes('.') ? tokens.access_token : 'e30.e30.');
      expect(String(access.scope ?? '')).not.toMatch(/\b(update|read)\b/);
      expect(access.aud).not.toBe(`${gw.origin(INSTANCE)}/api/domain`);
      // Asking for the API explicitly is refused with an OAuth error.
      await expect(
        client.refreshTokenGrant(webappConfig, tokens.refresh_token!, {
          resource: `${gw.origin(INSTANCE)}/api/domain`,
        }),
      ).rejects.toMatchObject({ error: 'invalid_target' });
    });
  });

  describe('sign-out', () => {
    it('ends the session, notifies apps (back- and front-channel) and redirects with state', async () => {
      const tokens = await codeFlow(webappConfig, 'alice');
      const before = rp.received.length;
      const endSession = client.buildEndSessionUrl(webappConfig, {
        id_token_hint: tokens.id_token!,
        post_logout_redirect_uri: rp.url('/signed-out'),
        state: 'bye-123',
      });
      await page.goto(endSession.href);
      await page.waitForURL((u) => u.href.startsWith(rp.url('/signed-out')), { timeout: 10_000 });
      expect(new URL(page.url()).searchParams.get('state')).toBe('bye-123');

      const backchannel = await rp
        .waitFor((r) => r.method === 'POST' && r.url === '/backchannel')
        .catch((err: Error) => {
          console.log(
            gw.output
              .join('')
              .split('\n')
              .filter((l) => /back-channel|backchannel/i.test(l))
              .join('\n'),
          );
          throw err;
        });
      const logoutToken = decodeJwt(new URLSearchParams(backchannel.body).get('logout_token')!);
      expect(logoutToken).toMatchObject({ iss: issuer(), sub: alice.id, aud: 'webapp' });
      expect(logoutToken.events).toHaveProperty(['http://schemas.openid.net/event/backchannel-logout']);
      const frontchannel = rp.received.slice(before).find((r) => r.url.startsWith('/frontchannel'));
      expect(frontchannel).toBeDefined();
      expect(new URL(frontchannel!.url, 'http://x').searchParams.get('iss')).toBe(issuer());

      const silent = await startFlow(webappConfig, { prompt: 'none' });
      const callback = await authorize(silent);
      expect(callback.searchParams.get('error')).toBe('login_required');
    });

    it('never redirects to an unregistered post-logout URI', async () => {
      const tokens = await codeFlow(webappConfig, 'alice');
      const endSession = client.buildEndSessionUrl(webappConfig, {
        id_token_hint: tokens.id_token!,
        post_logout_redirect_uri: 'https://attacker.example/landing',
      });
      const res = await page.goto(endSession.href);
      expect(res!.status()).toBe(400);
      expect(page.url()).toContain(gw.origin(INSTANCE));
    });

    it('never redirects on an id_token_hint with alg none or a foreign key', async () => {
      const tokens = await codeFlow(webappConfig, 'alice');
      const [header, payload] = tokens.id_token!.split('.');
      const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
      const tampered = `${header}.${payload}.${'A'.repeat(342)}`;
      for (const hint of [unsigned, tampered]) {
        const url = new URL(`${issuer()}/connect/endsession`);
        url.searchParams.set('id_token_hint', hint);
        url.searchParams.set('post_logout_redirect_uri', rp.url('/signed-out'));
        const res = await page.goto(url.href);
        expect(res!.status()).toBe(400);
        expect(page.url()).not.toContain('/signed-out');
      }
    });
  });

  describe('OAuth security BCP (RFC 9700)', () => {
    it('never redirects to an unregistered or altered redirect URI', async () => {
      for (const redirect of [
        rp.url('/cb/../evil'),
        rp.url('/cb?x=1'),
        'https://attacker.example/cb',
        rp.url('/CB'),
      ]) {
        const flow = await startFlow(webappConfig, { redirect_uri: redirect });
        const res = await page.goto(flow.url.href);
        expect(res!.status()).toBe(400);
        expect(new URL(page.url()).origin).toBe(gw.origin(INSTANCE));
      }
    });

    it('refuses a replayed code and revokes what it issued', async () => {
      const flow = await startFlow(webappConfig);
      const callback = await authorize(flow, { username: 'alice', password: PASSWORD });
      const checks = {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
      };
      const tokens = await client.authorizationCodeGrant(webappConfig, callback, checks);
      await expect(client.authorizationCodeGrant(webappConfig, callback, checks)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
      await expect(client.refreshTokenGrant(webappConfig, tokens.refresh_token!)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
    });

    it('refuses a wrong PKCE verifier and a PKCE downgrade', async () => {
      const flow = await startFlow(webappConfig);
      const callback = await authorize(flow, { username: 'alice', password: PASSWORD });
      await expect(
        client.authorizationCodeGrant(webappConfig, callback, {
          pkceCodeVerifier: client.randomPKCECodeVerifier(),
          expectedState: flow.state,
          expectedNonce: flow.nonce,
        }),
      ).rejects.toMatchObject({ error: 'invalid_grant' });

      const second = await startFlow(webappConfig);
      const code = (await authorize(second)).searchParams.get('code')!;
      const downgrade = await loopbackFetch(`${issuer()}/connect/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`webapp:${webapp.clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: rp.url('/cb'),
        }).toString(),
      });
      expect(downgrade.status).toBe(400);
      expect(await downgrade.json()).toMatchObject({ error: 'invalid_grant' });
    });

    it("treats instance A's session and tokens as worthless at B", async () => {
      const tokens = await codeFlow(webappConfig, 'alice');
      await createClient(gw, OTHER, {
        clientId: 'webapp',
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [rp.url('/cb')],
        scopes: ['openid', 'profile', 'offline_access'],
      });
      const rivalConfig = await discoverPublicClient(issuer(OTHER), 'webapp');
      const silent = client.buildAuthorizationUrl(rivalConfig, {
        redirect_uri: rp.url('/cb'),
        scope: 'openid',
        prompt: 'none',
        code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
      });
      await page.goto(silent.href);
      expect(new URL(page.url()).searchParams.get('error')).toBe('login_required');

      const userinfo = await loopbackFetch(`${issuer(OTHER)}/connect/userinfo`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      expect(userinfo.status).toBe(401);
      const refresh = await loopbackFetch(`${issuer(OTHER)}/connect/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`webapp:${webapp.clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token!,
        }).toString(),
      });
      expect(refresh.status).toBe(401);
    });
  });

  describe('account changes', () => {
    it('ends sessions and refresh tokens when a user is disabled, and lets nobody in until re-enabled', async () => {
      const dave = await createUser(gw, INSTANCE, { username: 'dave', password: PASSWORD, kind: 'internal' });
      const tokens = await codeFlow(webappConfig, 'dave');
      expect(
        (await gw.admin('PATCH', `/instances/${INSTANCE}/users/${dave.id}`, { status: 'disabled' })).status,
      ).toBe(200);
      await expect(client.refreshTokenGrant(webappConfig, tokens.refresh_token!)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
      const silent = await startFlow(webappConfig, { prompt: 'none' });
      expect((await authorize(silent)).searchParams.get('error')).toBe('login_required');
      const again = await startFlow(webappConfig);
      await page.goto(again.url.href);
      await signInWithForm(page, 'dave', PASSWORD);
      expect(page.url()).toContain('/id/interaction/');
      expect(await page.locator('[role=alert]').textContent()).toContain('incorrect');
    });
  });

  describe('logs', () => {
    it('carry none of the secrets of a full sign-in: password, client secret, code, tokens, cookies', async () => {
      const flow = await startFlow(webappConfig);
      const callback = await authorize(flow, { username: 'alice', password: PASSWORD });
      const code = callback.searchParams.get('code')!;
      const tokens = await client.authorizationCodeGrant(webappConfig, callback, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
      });
      const refreshed = await client.refreshTokenGrant(webappConfig, tokens.refresh_token!);
      // The interaction cookies carry the interaction id, which is also in the sign-in page's path; the
      // session cookie and every signature are secrets.
      const cookies = (await context.cookies())
        .filter((c) => !/^_interaction(_resume)?$/.test(c.name))
        .map((c) => c.value)
        .filter((v) => v.length >= 16);
      expect(cookies.length).toBeGreaterThan(0);
      const secrets = [
        PASSWORD,
        webapp.clientSecret!,
        code,
        flow.verifier,
        tokens.access_token,
        tokens.refresh_token!,
        tokens.id_token!,
        refreshed.access_token,
        refreshed.refresh_token!,
        ...cookies,
      ];
      // Let the gateway flush its last request lines.
      await new Promise((r) => setTimeout(r, 200));
      const log = gw.output.join('');
      expect(log).toContain('"route":"token"');
      const leaked = secrets
        .map((secret, index) => ({ index, found: log.includes(secret) }))
        .filter((x) => x.found);
      expect(leaked).toEqual([]);
    });
  });

  describe('lockout', () => {
    it('locks an account after the policy attempts and the admin API unlocks it', async () => {
      const flow = await startFlow(webappConfig);
      await page.goto(flow.url.href);
      for (let i = 0; i < 5; i += 1) await signInWithForm(page, 'carol', `wrong-${i}`);
      await signInWithForm(page, 'carol', PASSWORD);
      expect(await page.locator('[role=alert]').textContent()).toContain('Too many failed sign-ins');
      expect(page.url()).toContain('/id/interaction/');

      const unlocked = await gw.admin('PATCH', `/instances/${INSTANCE}/users/${carol.id}`, { unlock: true });
      expect(unlocked.status).toBe(200);
      await signInWithForm(page, 'carol', PASSWORD);
      expect(new URL(page.url()).searchParams.get('code')).toBeTruthy();
    });
  });
});
