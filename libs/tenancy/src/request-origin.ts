import type { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import proxyaddr from 'proxy-addr';
import { BoundedMemo } from './bounded-memo';

/** Where a request came from and which host it was addressed to, as far as trusted parties say. */
export interface RequestOrigin {
  /** `http` or `https`. */
  scheme: 'http' | 'https';
  /** Host as addressed, with port when one was given (`testdb.my.erp.net`, `testdb.localhost:3000`). */
  host: string;
  /** Host without port, lower-cased. */
  hostname: string;
  /** `scheme://host`. */
  origin: string;
  /** Client address: the socket peer, or the first untrusted hop of X-Forwarded-For. */
  clientIp: string;
}

const HOST = /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/;

/** Longer Host values are refused. */
const MAX_HOST_LENGTH = 300;

/** Distinct Host values remembered; real traffic names a handful per instance. */
const MAX_REMEMBERED_HOSTS = 10_000;

/** What a Host value says, whoever sent it: parsed once per distinct value. */
interface ParsedHost {
  host: string;
  hostname: string;
  /** The origins for either scheme, built once so every request of a host shares the same strings. */
  httpOrigin: string;
  httpsOrigin: string;
}

/** `raw` is at most MAX_HOST_LENGTH long (checked before it is parsed or remembered). */
function parseHost(raw: string): ParsedHost | null {
  const host = raw.toLowerCase();
  const match = HOST.exec(host);
  if (!match) return null;
  return {
    host,
    hostname: match[1]!.replace(/\.$/, ''),
    httpOrigin: `http://${host}`,
    httpsOrigin: `https://${host}`,
  };
}

function firstValue(header: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  return raw?.split(',')[0]?.trim() || undefined;
}

/**
 * Derives scheme, host and client address from a request. Forwarded headers count only when the
 * socket peer is a trusted proxy, so a forged X-Forwarded-Host can never change an advertised URL.
 */
export class RequestOriginReader {
  private readonly trust: (addr: string, i: number) => boolean;
  private readonly hosts = new BoundedMemo(MAX_REMEMBERED_HOSTS, parseHost);

  constructor(trustedProxies: readonly string[]) {
    this.trust = trustedProxies.length ? proxyaddr.compile([...trustedProxies]) : () => false;
  }

  read(req: IncomingMessage): RequestOrigin | null {
    const peer = req.socket.remoteAddress ?? '';
    const fromProxy = this.trust(peer, 0);
    const rawHost = (fromProxy && firstValue(req.headers['x-forwarded-host'])) || req.headers.host;
    // Length first: an oversized value is neither parsed nor remembered.
    if (!rawHost || rawHost.length > MAX_HOST_LENGTH) return null;
    const parsed = this.hosts.get(rawHost);
    if (!parsed) return null;
    const forwardedProto = fromProxy
      ? firstValue(req.headers['x-forwarded-proto'])?.toLowerCase()
      : undefined;
    const scheme: 'http' | 'https' =
      forwardedProto === 'https' || forwardedProto === 'http'
        ? forwardedProto
        : req.socket instanceof TLSSocket
          ? 'https'
          : 'http';
    const clientIp = fromProxy ? proxyaddr(req as Parameters<typeof proxyaddr>[0], this.trust) : peer;
    const origin = scheme === 'https' ? parsed.httpsOrigin : parsed.httpOrigin;
    return { scheme, host: parsed.host, hostname: parsed.hostname, origin, clientIp };
  }
}
