import { randomBytes } from 'node:crypto';

export interface PageSecurity {
  nonce: string;
  headers: Record<string, string>;
}

/**
 * Headers for every page the gateway renders: never cached, never framed, scripts and styles only
 * with this response's nonce. `frameOrigins` lists the apps whose front-channel logout pages the
 * sign-out page loads.
 */
export function pageSecurity(frameOrigins: readonly string[] = []): PageSecurity {
  const nonce = randomBytes(16).toString('base64');
  const frameSrc = frameOrigins.length ? [...new Set(frameOrigins)].join(' ') : "'none'";
  return {
    nonce,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': [
        "default-src 'none'",
        `style-src 'nonce-${nonce}'`,
        `script-src 'nonce-${nonce}'`,
        `frame-src ${frameSrc}`,
        "img-src 'self' data:",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    },
  };
}
