/** A WHATWG `fetch`, so tests and unusual deployments can route the library's outgoing calls. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** How an ERP API finds and trusts its instance's identity server. */
export interface ResourceServerOptions {
  /** The instance's issuer, exactly as in its tokens: `https://acme.my.erp.net/id`. */
  issuer: string;
  /** This API's identifier, the `aud` its tokens carry: `https://acme.my.erp.net/api/domain`. */
  audience: string;
  /** A confidential client allowed to introspect; without it only JWT access tokens are accepted. */
  introspection?: { clientId: string; clientSecret: string };
  /** How long an introspection answer is reused (default 1000 ms, at most 60000; 0 disables). */
  cacheTtlMs?: number;
  /** Leeway for `exp`/`nbf`/`iat` against clock skew (default 15 s, as the issuer allows). */
  clockToleranceSec?: number;
  /**
   * Shortest time between two JWKS downloads triggered by an unknown `kid` (default 30000 ms): a
   * rotated key is picked up at once, while a flood of forged `kid`s cannot hammer the issuer.
   */
  jwksRefreshCooldownMs?: number;
  /** Timeout of each call to the issuer (discovery, JWKS, introspection); default 5000 ms. */
  httpTimeoutMs?: number;
  /** The `realm` of `WWW-Authenticate` challenges (default: the audience). */
  realm?: string;
  /** Replaces the global `fetch` for discovery, JWKS and introspection. */
  fetch?: FetchLike;
  /** Accept an `http:` issuer. Only for local development and tests. */
  allowHttp?: boolean;
}

/** The options with every default applied and checked once, at start. */
export interface ResolvedResourceServerOptions {
  issuer: string;
  audience: string;
  introspection: { clientId: string; clientSecret: string } | undefined;
  cacheTtlMs: number;
  clockToleranceSec: number;
  jwksRefreshCooldownMs: number;
  httpTimeoutMs: number;
  realm: string;
  fetch: FetchLike;
  allowHttp: boolean;
}

export const RESOURCE_SERVER_OPTIONS = Symbol('RESOURCE_SERVER_OPTIONS');

const MAX_CACHE_TTL_MS = 60_000;

function checkUrl(name: string, value: string, allowHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`resource server: ${name} must be an absolute URL, got "${value}"`);
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    throw new Error(`resource server: ${name} must be an https URL (allowHttp only for development)`);
  }
  if (url.search || url.hash) throw new Error(`resource server: ${name} must not have a query or fragment`);
  return value;
}

function checkRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`resource server: ${name} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

/** Applies defaults and refuses a configuration the library could not run safely with. */
export function resolveResourceServerOptions(options: ResourceServerOptions): ResolvedResourceServerOptions {
  const allowHttp = options.allowHttp ?? false;
  const issuer = checkUrl('issuer', options.issuer, allowHttp);
  if (!options.audience) throw new Error('resource server: audience is required');
  const introspection = options.introspection;
  if (introspection && (!introspection.clientId || !introspection.clientSecret)) {
    throw new Error('resource server: introspection needs both clientId and clientSecret');
  }
  return {
    issuer,
    audience: options.audience,
    introspection: introspection ? { ...introspection } : undefined,
    cacheTtlMs: checkRange('cacheTtlMs', options.cacheTtlMs ?? 1_000, 0, MAX_CACHE_TTL_MS),
    clockToleranceSec: checkRange('clockToleranceSec', options.clockToleranceSec ?? 15, 0, 300),
    jwksRefreshCooldownMs: checkRange(
      'jwksRefreshCooldownMs',
      options.jwksRefreshCooldownMs ?? 30_000,
      0,
      3_600_000,
    ),
    httpTimeoutMs: checkRange('httpTimeoutMs', options.httpTimeoutMs ?? 5_000, 100, 60_000),
    realm: options.realm ?? options.audience,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    allowHttp,
  };
}
