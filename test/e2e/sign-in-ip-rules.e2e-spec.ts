import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { GatewayProcess } from '../support/gateway-process';
import { loopbackFetch } from '../support/loopback-fetch';
import { type BrowserAnswer, ProxiedBrowser } from '../support/proxied-browser';
import { createClient, createUser, type CreatedUser } from '../support/sign-in-fixture';
import { testBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';

const OFFICE = 'office';
/** Allows only the IPv6 loopback: the address of a peer that is not a trusted proxy. */
const LAB = 'lab';
const PASSWORD = 'correct horse battery staple';
const CALLBACK = 'https://portal.example.com/cb';
const ACR_MFA = 'urn:erp:acr:mfa';
const INSIDE = '203.0.113.7';
const INSIDE_V6 = '2001:db8::7';

interface AuditItem {
  actor: string;
  action: string;
  target: { type: string; id: string } | null;
  sourceAddress: string | null;
  details: Record<string, unknown>;
}

interface StartedSignIn {
  interaction: URL;
  verifier: string;
  state: string;
}

interface PageForm {
  csrf: string;
  action: URL;
}

/** The first form of a page: its action and CSRF token. */
function formOf(answer: BrowserAnswer, pageUrl: URL): PageForm {
  const csrf = /name="csrf" value="([^"]+)"/.exec(answer.text)?.[1];
  const action = /<form method="post" action="([^"]+)"/.exec(answer.text)?.[1];
  if (answer.status !== 200 || !csrf || !action) throw new Error(`no form on the page (${answer.status})`);
  return { csrf, action: new URL(action.replace(/&amp;/g, '&'), pageUrl) };
}

const locationOf = (answer: BrowserAnswer, base: URL): URL => new URL(answer.location ?? '', base);

describe(`sign-in IP ranges (${testBackends.postgresUrl ? 'Postgres' : 'PGlite'} + ${testBackends.redisUrl ? 'Redis' : 'in-process state'})`, () => {
  let gw: GatewayProcess;
  let dispose: (() => Promise<void>) | undefined;
  let alice: CreatedUser;
  let erin: CreatedUser;
  let portalSecret: string;

  /** The authorization request of a confidential client, up to the sign-in page it redirects to. */
  async function startSignIn(
    browser: ProxiedBrowser,
    instance: string,
    clientId = 'portal',
    params: Record<string, string> = {},
  ): Promise<StartedSignIn> {
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(8).toString('hex');
    const authorize = new URL(`${gw.issuer(instance)}/connect/authorize`);
    authorize.search = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'openid profile',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      state,
      ...params,
    }).toString();
    const answer = await browser.get(authorize);
    expect(answer.status).toBe(303);
    const interaction = locationOf(answer, authorize);
    expect(interaction.pathname).toMatch(/^\/id\/interaction\//);
    return { interaction, verifier, state };
  }

  async function submitPassword(
    browser: ProxiedBrowser,
    form: PageForm,
    username: string,
    password = PASSWORD,
  ): Promise<BrowserAnswer> {
    return browser.post(form.action, { username, password, csrf: form.csrf });
  }

  /** Follows the redirects after a finished step to the app's callback; returns the code it carries. */
  async function codeAfter(browser: ProxiedBrowser, answer: BrowserAnswer, from: URL, state: string) {
    let current = answer;
    let base = from;
    for (let hops = 0; hops < 4; hops += 1) {
      expect(current.status).toBe(303);
      const next = locationOf(current, base);
      if (next.href.startsWith(CALLBACK)) {
        expect(next.searchParams.get('error')).toBeNull();
        expect(next.searchParams.get('state')).toBe(state);
        return next.searchParams.get('code') ?? '';
      }
      current = await browser.get(next);
      base = next;
    }
    throw new Error('no redirect to the callback');
  }

  async function exchange(instance: string, code: string, verifier: string, secret = portalSecret) {
    const res = await loopbackFetch(`${gw.issuer(instance)}/connect/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`portal:${secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      }).toString(),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { id_token: string; access_token: string };
  }

  /** Authorization request, sign-in form, password, redirects and code exchange, all from `browser`. */
  async function signInToTokens(
    browser: ProxiedBrowser,
    instance: string,
    user: CreatedUser,
    secret?: string,
  ) {
    const flow = await startSignIn(browser, instance);
    const form = formOf(await browser.get(flow.interaction), flow.interaction);
    const code = await codeAfter(
      browser,
      await submitPassword(browser, form, user.username),
      form.action,
      flow.state,
    );
    return exchange(instance, code, flow.verifier, secret);
  }

  async function auditOf(instance: string): Promise<AuditItem[]> {
    const res = await gw.admin<{ items: AuditItem[] }>('GET', `/instances/${instance}/audit?limit=200`);
    expect(res.status).toBe(200);
    return res.body.items;
  }

  function expectRefusalPage(answer: BrowserAnswer, address: string, instanceName = 'Office Ltd'): void {
    expect(answer.status).toBe(403);
    expect(answer.text).toContain(
      `Sign-in to ${instanceName} is not allowed from your network (address ${address}).`,
    );
    expect(answer.text).not.toContain('<form');
  }

  beforeAll(async () => {
    ({ gw, dispose } = await startTestGateways({
      database: 'idgw_iprules',
      // Only the IPv4 loopback is the proxy: a connection over ::1 is a client reaching the gateway directly.
      env: { TRUSTED_PROXIES: '127.0.0.1/32' },
    }));
    const office = await gw.admin('POST', '/instances', {
      name: OFFICE,
      displayName: 'Office Ltd',
      policies: {
        allowedSignInIpRanges: ['203.0.113.0/24', '2001:db8::/32'],
        lockout: { maxAttempts: 2 },
      },
    });
    expect(office.status).toBe(201);
    const lab = await gw.admin('POST', '/instances', {
      name: LAB,
      displayName: 'Lab',
      policies: { allowedSignInIpRanges: ['::1/128'] },
    });
    expect(lab.status).toBe(201);
    const interactive = {
      grantTypes: ['authorization_code'],
      redirectUris: [CALLBACK],
      scopes: ['openid', 'profile'],
    };
    portalSecret = (await createClient(gw, OFFICE, { clientId: 'portal', ...interactive })).clientSecret!;
    await createClient(gw, OFFICE, { clientId: 'partner', requireConsent: true, ...interactive });
    alice = await createUser(gw, OFFICE, { username: 'alice', password: PASSWORD, kind: 'internal' });
    erin = await createUser(gw, OFFICE, { username: 'erin', password: PASSWORD, kind: 'internal' });
  });

  afterAll(async () => {
    await dispose?.();
  });

  it('signs in from an address inside the ranges, reported by a trusted proxy, all the way to tokens', async () => {
    const tokens = await signInToTokens(new ProxiedBrowser({ forwardedFor: INSIDE }), OFFICE, alice);

    expect(decodeJwt(tokens.id_token).sub).toBe(alice.id);
    const succeeded = (await auditOf(OFFICE)).find(
      (e) => e.action === 'sign_in.succeeded' && e.sourceAddress === INSIDE,
    );
    expect(succeeded?.target).toEqual({ type: 'user', id: alice.id });
  });

  it('signs in from an IPv6 address inside the ranges', async () => {
    const tokens = await signInToTokens(new ProxiedBrowser({ forwardedFor: INSIDE_V6 }), OFFICE, alice);

    expect(decodeJwt(tokens.id_token).sub).toBe(alice.id);
  });

  it('refuses an address outside: no sign-in page, the password never checked, one audit event', async () => {
    const outside = '198.51.100.9';
    const browser = new ProxiedBrowser({ forwardedFor: outside });
    const flow = await startSignIn(browser, OFFICE);

    const page = await browser.get(flow.interaction);
    expectRefusalPage(page, outside);
    expect((await browser.get(flow.interaction)).status).toBe(403);

    // A form fetched inside, posted from outside: wrong passwords beyond the lockout limit, then the right one.
    const inside = browser.movedTo({ forwardedFor: INSIDE });
    const form = formOf(await inside.get(flow.interaction), flow.interaction);
    for (const password of ['wrong-1', 'wrong-2', 'wrong-3', PASSWORD]) {
      expectRefusalPage(await submitPassword(browser, form, 'alice', password), outside);
    }

    // None of them counted: alice is not locked out, and the same form works from inside.
    const code = await codeAfter(
      inside,
      await submitPassword(inside, form, 'alice'),
      form.action,
      flow.state,
    );
    expect(decodeJwt((await exchange(OFFICE, code, flow.verifier)).id_token).sub).toBe(alice.id);

    const fromOutside = (await auditOf(OFFICE)).filter((e) => e.sourceAddress === outside);
    expect(fromOutside).toEqual([
      {
        actor: 'anonymous',
        action: 'sign_in.address_refused',
        target: null,
        sourceAddress: outside,
        details: { clientId: 'portal' },
        id: expect.any(String),
        occurredAt: expect.any(String),
      },
    ]);
  });

  it('does not let a second factor started inside be finished from outside', async () => {
    const outside = '198.51.100.20';
    const inside = new ProxiedBrowser({ forwardedFor: INSIDE });
    const flow = await startSignIn(inside, OFFICE, 'portal', { acr_values: ACR_MFA });
    const form = formOf(await inside.get(flow.interaction), flow.interaction);
    const afterPassword = await submitPassword(inside, form, 'erin');
    expect(afterPassword.status).toBe(303);
    const enrollment = formOf(await inside.get(flow.interaction), flow.interaction);
    expect(enrollment.action.pathname).toMatch(/\/enroll$/);

    const outsideAnswer = await inside
      .movedTo({ forwardedFor: outside })
      .post(enrollment.action, { code: '123456', csrf: enrollment.csrf });
    expectRefusalPage(outsideAnswer, outside);

    // Still the enrollment step from inside, and the refused code was never checked.
    expect(formOf(await inside.get(flow.interaction), flow.interaction).action.pathname).toMatch(/\/enroll$/);
    const erinsSignIn = (await auditOf(OFFICE)).filter(
      (e) => e.target?.id === erin.id && /^(sign_in|mfa)\./.test(e.action),
    );
    expect(erinsSignIn.map((e) => e.action)).toEqual(['sign_in.succeeded']);
  });

  it('does not let consent asked inside be given from outside', async () => {
    const outside = '198.51.100.30';
    const inside = new ProxiedBrowser({ forwardedFor: INSIDE });
    const flow = await startSignIn(inside, OFFICE, 'partner');
    const form = formOf(await inside.get(flow.interaction), flow.interaction);
    const resume = await submitPassword(inside, form, 'alice');
    const resumeUrl = locationOf(resume, form.action);
    const toConsent = await inside.get(resumeUrl);
    const consentUrl = locationOf(toConsent, resumeUrl);
    expect(consentUrl.pathname).toMatch(/^\/id\/interaction\//);
    const consent = formOf(await inside.get(consentUrl), consentUrl);
    expect(consent.action.pathname).toMatch(/\/consent$/);

    const refused = await inside
      .movedTo({ forwardedFor: outside })
      .post(consent.action, { csrf: consent.csrf });
    expectRefusalPage(refused, outside);

    const given = await inside.post(consent.action, { csrf: consent.csrf });
    expect(await codeAfter(inside, given, consent.action, flow.state)).not.toBe('');
  });

  it('lets a session signed in inside be used from outside without a sign-in page (prompt=none)', async () => {
    const inside = new ProxiedBrowser({ forwardedFor: INSIDE });
    await signInToTokens(inside, OFFICE, alice);
    const travelling = inside.movedTo({ forwardedFor: '198.51.100.40' });

    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${gw.issuer(OFFICE)}/connect/authorize`);
    authorize.search = new URLSearchParams({
      client_id: 'portal',
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'openid',
      prompt: 'none',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      state: 'silent',
    }).toString();
    const code = await codeAfter(travelling, await travelling.get(authorize), authorize, 'silent');
    expect(decodeJwt((await exchange(OFFICE, code, verifier)).id_token).sub).toBe(alice.id);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy: the peer address counts', async () => {
    // Claims an address inside the office's ranges, but connects directly over ::1.
    const direct = new ProxiedBrowser({ forwardedFor: INSIDE, via: 'ipv6' });
    const flow = await startSignIn(direct, OFFICE);
    expectRefusalPage(await direct.get(flow.interaction), '::1');

    // The lab allows ::1: a forged outside address does not keep it out either.
    const labPortal = await createClient(gw, LAB, {
      clientId: 'portal',
      grantTypes: ['authorization_code'],
      redirectUris: [CALLBACK],
      scopes: ['openid', 'profile'],
    });
    const bob = await createUser(gw, LAB, { username: 'bob', password: PASSWORD, kind: 'internal' });
    const forged = new ProxiedBrowser({ forwardedFor: '198.51.100.9', via: 'ipv6' });
    const tokens = await signInToTokens(forged, LAB, bob, labPortal.clientSecret!);

    expect(decodeJwt(tokens.id_token).sub).toBe(bob.id);
    const signIns = (await auditOf(LAB)).filter((e) => e.action.startsWith('sign_in.'));
    expect(signIns.map((e) => [e.action, e.sourceAddress])).toEqual([['sign_in.succeeded', '::1']]);
  });
});
