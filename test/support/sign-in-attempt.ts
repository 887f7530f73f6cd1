import { createHash, randomBytes } from 'node:crypto';
import { CookieJar } from './cookie-jar';
import { loopbackFetch } from './loopback-fetch';

export interface SignInAttemptTarget {
  /** The instance's issuer, e.g. `http://acme.localhost:3000/id`. */
  issuer: string;
  clientId: string;
  redirectUri: string;
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * One sign-in attempt without a browser: authorization request, sign-in form (with its CSRF token),
 * and the form submitted with the given credentials. Resolves with the status of the submission:
 * 303 when the credentials were accepted, 401 when not, 429 when locked out.
 */
export async function attemptSignIn(
  target: SignInAttemptTarget,
  username: string,
  password: string,
  /** Sent with every request, e.g. `x-forwarded-for` through a gateway that trusts the loopback proxy. */
  headers: Record<string, string> = {},
): Promise<number> {
  const jar = new CookieJar();
  const get = async (url: URL) => {
    const cookie = jar.header(url);
    const res = await loopbackFetch(url, {
      redirect: 'manual',
      headers: { ...headers, ...(cookie ? { cookie } : {}) },
    });
    jar.store(url, res.headers.getSetCookie());
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  };
  const authorize = new URL(`${target.issuer}/connect/authorize`);
  authorize.search = new URLSearchParams({
    client_id: target.clientId,
    response_type: 'code',
    redirect_uri: target.redirectUri,
    scope: 'openid',
    code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
  }).toString();
  const first = await get(authorize);
  if (first.status !== 303 || !first.location) throw new Error(`authorization request: ${first.status}`);
  const formUrl = new URL(first.location, authorize);
  const form = await get(formUrl);
  const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)?.[1];
  const action = /<form method="post" action="([^"]+)"/.exec(form.text)?.[1];
  if (!csrf || !action) throw new Error(`no sign-in form (${form.status})`);
  const loginUrl = new URL(action.replace(/&amp;/g, '&'), formUrl);
  const cookie = jar.header(loginUrl);
  const res = await loopbackFetch(loginUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, 'content-type': FORM, ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams({ username, password, csrf }).toString(),
  });
  await res.arrayBuffer();
  return res.status;
}
