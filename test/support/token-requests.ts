import { loopbackFetch } from './loopback-fetch';

export interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
}

const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** A form POST to one of the issuer's endpoints, authenticated as a client with its secret. */
export async function postAsClient(
  url: string,
  clientId: string,
  clientSecret: string,
  form: Record<string, string>,
): Promise<TokenResponse> {
  const res = await loopbackFetch(url, {
    method: 'POST',
    headers: {
      authorization: basic(clientId, clientSecret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/** A client-credentials token request at an issuer (`…/id`). */
export function clientCredentials(
  issuer: string,
  clientId: string,
  clientSecret: string,
  form: Record<string, string> = {},
): Promise<TokenResponse> {
  return postAsClient(`${issuer}/connect/token`, clientId, clientSecret, {
    grant_type: 'client_credentials',
    ...form,
  });
}

/** RFC 7662 introspection of a token, asked by a client. */
export function introspect(
  issuer: string,
  clientId: string,
  clientSecret: string,
  token: string,
): Promise<TokenResponse> {
  return postAsClient(`${issuer}/connect/introspect`, clientId, clientSecret, { token });
}

/** The JSON payload of a JWT (not verified: the tests read what the issuer put in). */
export function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Polls until `check` holds, failing after `withinMs`; returns how long it took. */
export async function within(withinMs: number, check: () => Promise<boolean>, everyMs = 20): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started >= withinMs) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
