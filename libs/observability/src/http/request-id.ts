import { randomUUID } from 'node:crypto';

/**
 * Request ids a caller may choose: what proxies and tracing systems generate (UUIDs, hex, base64url
 * with padding, dotted, colon- or key=value-separated ids), short, and nothing that could forge a log
 * line or a header (no spaces, quotes or control characters).
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:=-]{0,127}$/;

/** An incoming `X-Request-Id` if it is safe to log and echo, else `undefined`. */
export function sanitizeRequestId(header: string | string[] | undefined): string | undefined {
  // A repeated header is ambiguous: ignore it rather than pick one.
  if (typeof header !== 'string') return undefined;
  return SAFE_REQUEST_ID.test(header) ? header : undefined;
}

/** The request's id: the caller's if it is safe, else a fresh UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return sanitizeRequestId(header) ?? randomUUID();
}
