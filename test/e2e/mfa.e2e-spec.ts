import AxeBuilder from '@axe-core/playwright';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import type { GatewayProcess } from '../support/gateway-process';
import { client } from '../support/oidc-client';
import { RelyingPartyListener } from '../support/relying-party';
import {
  createClient,
  createUser,
  type CreatedUser,
  discoverClient,
  signInWithForm,
} from '../support/sign-in-fixture';
import { testBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';

const SECURE = 'vault';
const RELAXED = 'corner';
const PASSWORD = 'correct horse battery staple';
const ACR_MFA = 'urn:erp:acr:mfa';
const ACR_PASSWORD = 'urn:erp:acr:pwd';
const STEP_MS = 30_000;

/**
 * The user's authenticator app: computes codes from the secret shown at enrollment, never reusing
 * a time-step (as the gateway refuses that), waiting for the next step when it must.
 */
class Authenticator {
  private lastStep = -1;
  lastCode = '';
  private readonly totp: TOTP;

  constructor(readonly secret: string) {
    this.totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  }

  async nextCode(): Promise<string> {
    const current = Math.floor(Date.now() / STEP_MS);
    const step = Math.max(this.lastStep + 1, current);
    // The gateway accepts one step ahead; further ahead, wait until it is within reach.
    const waitMs = (step - 1) * STEP_MS - Date.now();
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs + 200));
    this.lastStep = step;
    this.lastCode = this.totp.generate({ timestamp: step * STEP_MS + 1000 });
    return this.lastCode;
  }

  /** A code no step near now produces. */
  wrongCode(): string {
    const now = Date.now();
    const near = new Set([-2, -1, 0, 1, 2].map((d) => this.totp.generate({ timestamp: now + d * STEP_MS })));
    for (let i = 0; ; i++) {
      const candidate = String(i * 111_111 + 7)
        .padStart(6, '0')
        .slice(-6);
      if (!near.has(candidate)) return candidate;
    }
  }
}

jest.setTimeout(180_000);

describe(`TOTP second factor (${testBackends.postgresUrl ? 'Postgres' : 'PGlite'} + ${testBackends.redisUrl ? 'Redis' : 'in-process state'})`, () => {
  let gw: GatewayProcess;
  let rp: RelyingPartyListener;
  let browser: Browser;
  let dispose: (() => Promise<void>) | undefined;
  let dave: CreatedUser;
  let erin: CreatedUser;
  let secureApp: client.Configuration;
  let relaxedApp: client.Configuration;
  let context: BrowserContext;
  let page: Page;
  // Shared by the tests of the main journey, which run in order.
  let authenticator: Authenticator;
  let recoveryCodes: string[] = [];
  let lastIdToken = '';

  async function startFlow(config: client.Configuration, params: Record<string, string> = {}) {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: rp.url('/cb'),
      scope: 'openid profile',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...params,
    });
    return { url, verifier, state, nonce };
  }

  type Flow = Awaited<ReturnType<typeof startFlow>>;

  async function redeem(config: client.Configuration, flow: Flow) {
    const callback = new URL(page.url());
    expect(callback.origin + callback.pathname).toBe(rp.url('/cb'));
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    });
    lastIdToken = tokens.id_token!;
    return tokens.claims()!;
  }

  async function submitCode(code: string, button: string): Promise<number> {
    await page.getByLabel(/code/i).first().fill(code);
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: button }).click(),
    ]);
    return response?.status() ?? 0;
  }

  async function expectNoAxeViolations(): Promise<void> {
    expect((await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id)).toEqual([]);
  }

  async function signOut(config: client.Configuration, idToken: string): Promise<void> {
    const endSession = client.buildEndSessionUrl(config, {
      id_token_hint: idToken,
      post_logout_redirect_uri: rp.url('/signed-out'),
    });
    await page.goto(endSession.href);
    await page.waitForURL((u) => u.href.startsWith(rp.url('/signed-out')), { timeout: 10_000 });
  }

  beforeAll(async () => {
    rp = new RelyingPartyListener();
    await rp.start();
    ({ gw, dispose } = await startTestGateways({ database: 'idgw_mfa' }));
    expect(
      (
        await gw.admin('POST', '/instances', {
          name: SECURE,
          displayName: 'Vault Bank',
          policies: { mfa: { required: 'all' } },
        })
      ).status,
    ).toBe(201);
    expect((await gw.admin('POST', '/instances', { name: RELAXED, displayName: 'Corner Shop' })).status).toBe(
      201,
    );
    dave = await createUser(gw, SECURE, { username: 'dave', password: PASSWORD, kind: 'internal' });
    erin = await createUser(gw, RELAXED, { username: 'erin', password: PASSWORD, kind: 'external' });
    const app = {
      clientId: 'portal',
      grantTypes: ['authorization_code'],
      redirectUris: [rp.url('/cb')],
      postLogoutRedirectUris: [rp.url('/signed-out')],
      scopes: ['openid', 'profile'],
    };
    const secure = await createClient(gw, SECURE, app);
    const relaxed = await createClient(gw, RELAXED, app);
    secureApp = await discoverClient(gw.issuer(SECURE), 'portal', secure.clientSecret!);
    relaxedApp = await discoverClient(gw.issuer(RELAXED), 'portal', relaxed.clientSecret!);
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
  });

  afterEach(async () => {
    await context.close();
  });

  it('advertises the authentication context classes', async () => {
    const metadata = secureApp.serverMetadata();
    expect(metadata.acr_values_supported).toEqual([ACR_PASSWORD, ACR_MFA]);
  });

  it('takes a user without a factor through enrollment after the password, then shows recovery codes once', async () => {
    const flow = await startFlow(secureApp);
    await page.goto(flow.url.href);
    await signInWithForm(page, 'dave', PASSWORD);
    expect(page.url()).toContain('/id/interaction/');
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor();
    const qr = page.getByRole('img', { name: /QR code/ });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    const secret = (await page.locator('#secret').getAttribute('data-secret'))!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    // The key in text, grouped for reading, is the same key.
    expect((await page.locator('#secret').innerText()).replace(/\s/g, '')).toBe(secret);
    // The secret never reaches the page through a form field the browser could send back.
    expect(await page.locator(`input[value="${secret}"]`).count()).toBe(0);
    await expectNoAxeViolations();
    authenticator = new Authenticator(secret);

    expect(await submitCode(authenticator.wrongCode(), 'Verify and continue')).toBe(401);
    expect(await page.getByRole('alert').innerText()).toContain('not valid');
    // The same key is shown again after a wrong code.
    expect(await page.locator('#secret').getAttribute('data-secret')).toBe(secret);

    expect(await submitCode(await authenticator.nextCode(), 'Verify and continue')).toBe(200);
    await page.getByRole('heading', { name: 'Two-step verification is on' }).waitFor();
    recoveryCodes = await page.getByRole('list', { name: 'Recovery codes' }).locator('li').allInnerTexts();
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await expectNoAxeViolations();

    // Reloading the step does not show the codes again.
    await page.goto(page.url().replace(/\/enroll$/, ''));
    expect(await page.getByRole('list', { name: 'Recovery codes' }).count()).toBe(0);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
    const claims = await redeem(secureApp, flow);
    expect(claims.sub).toBe(dave.id);
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.acr).toBe(ACR_MFA);
  });

  it('asks every later sign-in for a code, refusing a reused and a wrong one', async () => {
    const first = await startFlow(secureApp);
    await page.goto(first.url.href);
    await signInWithForm(page, 'dave', PASSWORD);
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await expectNoAxeViolations();

    // The code that confirmed the enrollment has been used.
    expect(await submitCode(authenticator.lastCode, 'Verify')).toBe(401);
    expect(await page.getByRole('alert').innerText()).toContain('not valid');
    expect(await submitCode(authenticator.wrongCode(), 'Verify')).toBe(401);
    await expectNoAxeViolations();
    await submitCode(await authenticator.nextCode(), 'Verify');
    const claims = await redeem(secureApp, first);
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.acr).toBe(ACR_MFA);

    // The session carries the second factor: the app signs in again without any prompt ...
    const silent = await startFlow(secureApp, { prompt: 'none' });
    await page.goto(silent.url.href);
    const again = await redeem(secureApp, silent);
    expect(again.acr).toBe(ACR_MFA);

    // ... but max_age re-authentication asks for the password and the second factor again.
    const fresh = await startFlow(secureApp, { max_age: '0' });
    await page.goto(fresh.url.href);
    await signInWithForm(page, 'dave', PASSWORD);
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await submitCode(await authenticator.nextCode(), 'Verify');
    const reauthenticated = await redeem(secureApp, fresh);
    expect(reauthenticated.amr).toEqual(['pwd', 'otp', 'mfa']);
  });

  it('signs out, then signs in again with a code', async () => {
    const flow = await startFlow(secureApp);
    await page.goto(flow.url.href);
    await signInWithForm(page, 'dave', PASSWORD);
    await submitCode(await authenticator.nextCode(), 'Verify');
    await redeem(secureApp, flow);
    await signOut(secureApp, lastIdToken);

    const next = await startFlow(secureApp);
    await page.goto(next.url.href);
    expect(await page.getByLabel('Password').count()).toBe(1);
    await signInWithForm(page, 'dave', PASSWORD);
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await submitCode(await authenticator.nextCode(), 'Verify');
    expect((await redeem(secureApp, next)).acr).toBe(ACR_MFA);
  });

  it('accepts a recovery code once', async () => {
    const code = recoveryCodes[0]!;
    const flow = await startFlow(secureApp);
    await page.goto(flow.url.href);
    await signInWithForm(page, 'dave', PASSWORD);
    // Typed the way people do: lower case, without dashes.
    await submitCode(code.toLowerCase().replace(/-/g, ''), 'Verify');
    const claims = await redeem(secureApp, flow);
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.acr).toBe(ACR_MFA);
    await signOut(secureApp, lastIdToken);

    const again = await startFlow(secureApp);
    await page.goto(again.url.href);
    await signInWithForm(page, 'dave', PASSWORD);
    expect(await submitCode(code, 'Verify')).toBe(401);
    // Another recovery code still works.
    await submitCode(recoveryCodes[1]!, 'Verify');
    expect((await redeem(secureApp, again)).sub).toBe(dave.id);
  });

  it('an admin reset of the factors ends the sessions and forces enrollment again', async () => {
    expect((await gw.admin('DELETE', `/instances/${SECURE}/users/${dave.id}/factors`)).status).toBe(204);
    // Idempotent.
    expect((await gw.admin('DELETE', `/instances/${SECURE}/users/${dave.id}/factors`)).status).toBe(204);
    for (const [path, status] of [
      [`/instances/${SECURE}/users/00000000-0000-4000-8000-000000000000/factors`, 404],
      [`/instances/${SECURE}/users/not-a-uuid/factors`, 404],
      [`/instances/nowhere/users/${dave.id}/factors`, 404],
      [`/instances/${RELAXED}/users/${dave.id}/factors`, 404],
    ] as const) {
      const res = await gw.admin<{ error: string }>('DELETE', path);
      expect(res.status).toBe(status);
      expect(res.body.error).toBe('not_found');
    }
    expect(
      (await gw.admin('DELETE', `/instances/${SECURE}/users/${dave.id}/factors`, undefined, 'x'.repeat(32)))
        .status,
    ).toBe(401);

    const flow = await startFlow(secureApp);
    await page.goto(flow.url.href);
    await signInWithForm(page, 'dave', PASSWORD);
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor();
    const secret = (await page.locator('#secret').getAttribute('data-secret'))!;
    expect(secret).not.toBe(authenticator.secret);
    // The old app's codes and the old recovery codes are worthless now.
    const fresh = new Authenticator(secret);
    expect(await submitCode(await authenticator.nextCode(), 'Verify and continue')).toBe(401);
    await submitCode(await fresh.nextCode(), 'Verify and continue');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
    expect((await redeem(secureApp, flow)).amr).toEqual(['pwd', 'otp', 'mfa']);
  });

  it('without a policy, signs in with the password alone unless the app asks for a second factor (acr_values)', async () => {
    const plain = await startFlow(relaxedApp);
    await page.goto(plain.url.href);
    await signInWithForm(page, 'erin', PASSWORD);
    const claims = await redeem(relaxedApp, plain);
    expect(claims.sub).toBe(erin.id);
    expect(claims.amr).toEqual(['pwd']);
    expect(claims.acr).toBe(ACR_PASSWORD);

    // The session has no second factor: a request for one signs in again and enrolls.
    const strong = await startFlow(relaxedApp, { acr_values: ACR_MFA });
    await page.goto(strong.url.href);
    await signInWithForm(page, 'erin', PASSWORD);
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor();
    const app = new Authenticator((await page.locator('#secret').getAttribute('data-secret'))!);
    await submitCode(await app.nextCode(), 'Verify and continue');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
    const strongClaims = await redeem(relaxedApp, strong);
    expect(strongClaims.acr).toBe(ACR_MFA);
    expect(strongClaims.amr).toEqual(['pwd', 'otp', 'mfa']);

    // Having a factor, she is asked for it at every sign-in, policy or not.
    await signOut(relaxedApp, lastIdToken);
    const later = await startFlow(relaxedApp);
    await page.goto(later.url.href);
    await signInWithForm(page, 'erin', PASSWORD);
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await submitCode(await app.nextCode(), 'Verify');
    expect((await redeem(relaxedApp, later)).acr).toBe(ACR_MFA);
  });

  it('counts wrong codes toward the lockout, which a correct password does not reset', async () => {
    const user = await createUser(gw, RELAXED, { username: 'frank', password: PASSWORD, kind: 'internal' });
    await gw.admin('PATCH', `/instances/${RELAXED}/policies`, { lockout: { maxAttempts: 3 } });
    const enroll = await startFlow(relaxedApp, { acr_values: ACR_MFA });
    await page.goto(enroll.url.href);
    await signInWithForm(page, 'frank', PASSWORD);
    const app = new Authenticator((await page.locator('#secret').getAttribute('data-secret'))!);
    await submitCode(await app.nextCode(), 'Verify and continue');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
    await redeem(relaxedApp, enroll);
    await signOut(relaxedApp, lastIdToken);

    // Two wrong codes, a fresh sign-in with the right password, one more wrong code: locked.
    const attempt = await startFlow(relaxedApp);
    await page.goto(attempt.url.href);
    await signInWithForm(page, 'frank', PASSWORD);
    expect(await submitCode(app.wrongCode(), 'Verify')).toBe(401);
    expect(await submitCode(app.wrongCode(), 'Verify')).toBe(401);
    const retry = await startFlow(relaxedApp);
    await page.goto(retry.url.href);
    await signInWithForm(page, 'frank', PASSWORD);
    expect(await submitCode(app.wrongCode(), 'Verify')).toBe(429);
    // While locked even the right code is refused.
    expect(await submitCode(await app.nextCode(), 'Verify')).toBe(429);
    expect(
      (await gw.admin<{ locked: boolean }>('GET', `/instances/${RELAXED}/users/${user.id}`)).body.locked,
    ).toBe(true);
  });

  it('logs enrollments and resets as structured events without secrets', () => {
    const lines = gw.output
      .join('')
      .split('\n')
      .filter((l) => l.includes('"event":"mfa.'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const enrolled = lines.filter((l) => l.event === 'mfa.enrolled');
    expect(enrolled.map((l) => l.userId)).toEqual(expect.arrayContaining([dave.id, erin.id]));
    expect(enrolled[0]).toMatchObject({ instance: SECURE, factor: 'totp' });
    expect(lines.find((l) => l.event === 'mfa.reset')).toMatchObject({
      instance: SECURE,
      userId: dave.id,
      source: 'admin-api',
      factorsRemoved: 1,
    });
    expect(lines.find((l) => l.event === 'mfa.recovery_code_used')).toMatchObject({
      userId: dave.id,
      remaining: 9,
    });
    const all = gw.output.join('');
    expect(all).not.toContain(authenticator.secret);
    for (const code of recoveryCodes) expect(all).not.toContain(code);
  });

  it("records enrollments, recovery-code use and refused codes in the instance's audit log", async () => {
    const audit = await gw.admin<{ items: { action: string; target: { id: string } | null }[] }>(
      'GET',
      `/instances/${SECURE}/audit?action=mfa.&limit=200`,
    );
    expect(audit.status).toBe(200);
    const about = (action: string): (string | undefined)[] =>
      audit.body.items.filter((e) => e.action === action).map((e) => e.target?.id);
    // Dave enrolled twice: before and after the admin reset (Erin belongs to the other instance).
    expect(about('mfa.enrolled')).toEqual([dave.id, dave.id]);
    expect(about('mfa.recovery_code_used')).toContain(dave.id);
    expect(about('mfa.code_refused').length).toBeGreaterThan(0);
    const text = JSON.stringify(audit.body);
    expect(text).not.toContain(authenticator.secret);
    for (const code of recoveryCodes) expect(text).not.toContain(code);
  });
});
