/** Where client-credentials token requests go, and what a correct answer looks like. */
export interface TokenTarget {
  label: string;
  /** URL to connect to (always 127.0.0.1: instance hosts do not resolve here). */
  url: string;
  /** Host header to send instead of the URL's, for the gateway's `<instance>.localhost`. */
  host?: string;
  clientId: string;
  clientSecret: string;
  /** Expected `aud` of the issued access token. */
  audience: string;
  /** The serving process, for CPU time per token (optional: Linux only). */
  serverPid?: number;
}

export const TOKEN_REQUEST_BODY = 'grant_type=client_credentials&scope=update';

/** RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const pair = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

export function tokenRequestHeaders(target: TokenTarget): Record<string, string> {
  return {
    ...(target.host ? { host: target.host } : {}),
    authorization: basicAuthorization(target.clientId, target.clientSecret),
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
}
