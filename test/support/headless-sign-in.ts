import { createHash, randomBytes } from 'node:crypto';
import { CookieJar } from './cookie-jar';
import type { Answer, LoadRecorder } from './load-recorder';

export interface ConfidentialClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface SignInTarget {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  client: ConfidentialClient;
  username: string;
  password: string;
}

/** What a completed sign-in hands the app: the token response and the nonce its id_token must carry. */
export interface SignedIn {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  nonce: string;
}

export const basicAuth = (clientId: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;

const FORM = 'application/x-www-form-urlencoded';

/** The three tokens a portal's code exchange must return, when all are there. */
function tokensOf(answer: Answer): Omit<SignedIn, 'nonce'> | undefined {
  const body = json(answer);
  const [idToken, accessToken, refreshToken] = [body?.id_token, body?.access_token, body?.refresh_token];
  if (typeof idToken !== 'string' || typeof accessToken !== 'string' || typeof refreshToken !== 'string')
    return undefined;
  return { idToken, accessToken, refreshToken };
}

function json(answer: Answer): Record<string, unknown> | undefined {
  try {
    return JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * The code flow with PKCE the way a browser and an app walk it, over plain HTTP: authorization
 * request, sign-in form (with its CSRF token), the redirects back, and the code exchange. Every
 * request goes through `recorder`, which fails the step on any unexpected status. Returns the
 * tokens unchecked beyond their presence: verifying the id_token is the caller's business.
 */
export async function signInWithoutBrowser(recorder: LoadRecorder, target: SignInTarget): Promise<SignedIn> {
  const jar = new CookieJar();
  const { client } = target;
  const send = async (
    step: string,
    url: URL,
    expected: number,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
    check?: (answer: Answer) => string | undefined,
  ): Promise<Answer> => {
    const cookie = jar.header(url);
    const answer = await recorder.send(
      step,
      url,
      expected,
      { ...init, headers: { ...init.headers, ...(cookie ? { cookie } : {}) } },
      check,
    );
    jar.store(url, answer.setCookies);
    return answer;
  };
  const locationOf = (answer: Answer, base: URL): URL => new URL(answer.location ?? '', base);

  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const authorize = new URL(target.authorizationEndpoint);
  authorize.search = new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: client.redirectUri,
    scope: 'openid profile offline_access update',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state,
    nonce,
  }).toString();
  const toInteraction = await send('sign-in: authorization request', authorize, 303, {}, (a) =>
    a.location?.includes('/id/interaction/') ? undefined : `redirected to ${a.location}`,
  );

  const formUrl = locationOf(toInteraction, authorize);
  let csrf = '';
  let action = '';
  await send('sign-in: form', formUrl, 200, {}, (a) => {
    csrf = /name="csrf" value="([^"]+)"/.exec(a.text)?.[1] ?? '';
    action = /<form method="post" action="([^"]+)"/.exec(a.text)?.[1] ?? '';
    return csrf && action ? undefined : 'no sign-in form with a CSRF token';
  });

  const loginUrl = new URL(action.replace(/&amp;/g, '&'), formUrl);
  const afterLogin = await send('sign-in: submit form', loginUrl, 303, {
    method: 'POST',
    headers: { 'content-type': FORM },
    body: new URLSearchParams({ username: target.username, password: target.password, csrf }).toString(),
  });

  // Back to the authorization endpoint (resume), which answers with the redirect to the app.
  const resumeUrl = locationOf(afterLogin, loginUrl);
  let code = '';
  await send('sign-in: resume', resumeUrl, 303, {}, (a) => {
    const callback = locationOf(a, resumeUrl);
    if (!callback.href.startsWith(client.redirectUri))
      return `redirected to ${callback.origin}${callback.pathname}`;
    if (callback.searchParams.get('state') !== state) return 'state does not match';
    code = callback.searchParams.get('code') ?? '';
    return code ? undefined : `no code: ${callback.searchParams.get('error') ?? 'nothing'}`;
  });

  const exchange = await send(
    'sign-in: code exchange',
    new URL(target.tokenEndpoint),
    200,
    {
      method: 'POST',
      headers: { 'content-type': FORM, authorization: basicAuth(client.clientId, client.clientSecret) },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: client.redirectUri,
        code_verifier: verifier,
      }).toString(),
    },
    (a) => (tokensOf(a) ? undefined : 'tokens missing'),
  );
  const tokens = tokensOf(exchange);
  if (!tokens) throw new Error('sign-in: code exchange: tokens missing');
  return { ...tokens, nonce };
}
