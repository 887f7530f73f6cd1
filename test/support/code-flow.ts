import { createHash, randomBytes } from 'node:crypto';
import { loopbackFetch } from './loopback-fetch';

export interface CodeFlowInput {
  /** The instance issuer, e.g. `http://acme.localhost:3000/id`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  username: string;
  password: string;
  /** Defaults to `openid profile`; add `offline_access` for a refresh token. */
  scope?: string;
  /** A resource indicator (RFC 8707) sent with the authorization request and the code exchange. */
  resource?: string;
}

export interface CodeFlowTokens {
  id_token: string;
  access_token: string;
  refresh_token?: string;
}

/**
 * Cookies of one host by name. The flow's cookies have distinct names, so sending every cookie on
 * every request (ignoring their paths) changes nothing the issuer looks at.
 */
class Cookies {
  private readonly values = new Map<string, string>();

  store(setCookies: readonly string[]): void {
    for (const header of setCookies) {
      const pair = header.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) this.values.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
  }

  header(): string {
    return [...this.values].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * A first-party confidential client's authorization code flow with PKCE over plain HTTP (no browser):
 * authorization request, sign-in form with its CSRF token, resume, code exchange. Fails on any step
 * that does not answer as a person's browser would see it.
 */
export async function codeFlowTokens(input: CodeFlowInput): Promise<CodeFlowTokens> {
  const cookies = new Cookies();
  const step = async (url: URL, expected: number, init: { method?: string; body?: string } = {}) => {
    const res = await loopbackFetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        cookie: cookies.header(),
        ...(init.body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      body: init.body,
    });
    cookies.store(res.headers.getSetCookie());
    const text = await res.text();
    if (res.status !== expected)
      throw new Error(`${url.pathname}: ${res.status} (expected ${expected}) ${text}`);
    return { location: new URL(res.headers.get('location') ?? '', url), text };
  };

  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(`${input.issuer}/connect/authorize`);
  authorize.search = new URLSearchParams({
    client_id: input.clientId,
    response_type: 'code',
    redirect_uri: input.redirectUri,
    scope: input.scope ?? 'openid profile',
    nonce: randomBytes(16).toString('base64url'),
    state: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...(input.resource ? { resource: input.resource } : {}),
  }).toString();

  const formUrl = (await step(authorize, 303)).location;
  const form = await step(formUrl, 200);
  const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)?.[1];
  const action = /<form method="post" action="([^"]+)"/.exec(form.text)?.[1];
  if (!csrf || !action) throw new Error('no sign-in form with a CSRF token');
  const submitUrl = new URL(action.replace(/&amp;/g, '&'), formUrl);
  const body = new URLSearchParams({ username: input.username, password: input.password, csrf }).toString();
  const resumeUrl = (await step(submitUrl, 303, { method: 'POST', body })).location;
  const callback = (await step(resumeUrl, 303)).location;
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code: ${callback.searchParams.get('error') ?? callback.href}`);

  const res = await loopbackFetch(`${input.issuer}/connect/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${input.clientId}:${input.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: input.redirectUri,
      code_verifier: verifier,
      ...(input.resource ? { resource: input.resource } : {}),
    }).toString(),
  });
  const tokens = (await res.json()) as Partial<CodeFlowTokens>;
  if (res.status !== 200 || !tokens.id_token || !tokens.access_token) {
    throw new Error(`code exchange failed: ${res.status} ${JSON.stringify(tokens)}`);
  }
  return {
    id_token: tokens.id_token,
    access_token: tokens.access_token,
    ...(tokens.refresh_token ? { refresh_token: tokens.refresh_token } : {}),
  };
}
