import { INTERACTION_PREFIX, ISSUER_MOUNT, ISSUER_ROUTES } from '@erp-id/issuer';

/** Which of the two listeners a request arrived on (the gateway marks each request). */
export type ListenerName = 'public' | 'admin';

/**
 * A request's route as a metric label and log field: a fixed set of names, never the path itself,
 * so a client cannot create label values (and Prometheus series) by inventing URLs.
 */
export type RouteLabel =
  | 'discovery'
  | 'jwks'
  | 'authorize'
  | 'token'
  | 'userinfo'
  | 'endsession'
  | 'introspect'
  | 'revocation'
  | 'par'
  | 'interaction'
  | 'auto-discovery'
  | 'admin'
  | 'health'
  | 'metrics'
  | 'other';

// Typed by the issuer's own route table: a new issuer route does not compile until it has a label.
const ISSUER_ROUTE_LABELS: Record<keyof typeof ISSUER_ROUTES, RouteLabel> = {
  authorization: 'authorize',
  token: 'token',
  userinfo: 'userinfo',
  end_session: 'endsession',
  introspection: 'introspect',
  revocation: 'revocation',
  jwks: 'jwks',
  pushed_authorization_request: 'par',
};

const ISSUER_PATHS = new Map<string, RouteLabel>([
  [`${ISSUER_MOUNT}/.well-known/openid-configuration`, 'discovery'],
  [`${ISSUER_MOUNT}/.well-known/oauth-authorization-server`, 'discovery'],
  ...Object.entries(ISSUER_ROUTES).map(([name, path]): [string, RouteLabel] => [
    `${ISSUER_MOUNT}${path}`,
    ISSUER_ROUTE_LABELS[name as keyof typeof ISSUER_ROUTES],
  ]),
]);

// oidc-provider serves a few sub-paths of its endpoints (authorization resume, sign-out confirm/success).
const ISSUER_SUBPATH_LABELS: readonly RouteLabel[] = ['authorize', 'endsession'];

const PUBLIC_PATHS = new Map<string, RouteLabel>([['/sys/auto-discovery', 'auto-discovery']]);

const ADMIN_PATHS = new Map<string, RouteLabel>([
  ['/healthz', 'health'],
  ['/readyz', 'health'],
  ['/metrics', 'metrics'],
]);

/** The path of a request target, without query string or fragment (they carry codes and tokens). */
export function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const end = raw.search(/[?#]/);
  return end === -1 ? raw : raw.slice(0, end);
}

function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function publicRoute(path: string): RouteLabel {
  const exact = ISSUER_PATHS.get(path) ?? PUBLIC_PATHS.get(path);
  if (exact) return exact;
  if (path.startsWith(`${ISSUER_MOUNT}${INTERACTION_PREFIX}`)) return 'interaction';
  const parent = ISSUER_PATHS.get(path.slice(0, path.lastIndexOf('/')));
  return parent && ISSUER_SUBPATH_LABELS.includes(parent) ? parent : 'other';
}

function adminRoute(path: string): RouteLabel {
  if (path === '/admin' || path.startsWith('/admin/')) return 'admin';
  return ADMIN_PATHS.get(path) ?? 'other';
}

/** Maps a request (listener and target) to its bounded route label. */
export function routeLabel(listener: ListenerName | undefined, url: string | undefined): RouteLabel {
  const path = withoutTrailingSlash(pathOf(url));
  if (listener === 'admin') return adminRoute(path);
  if (listener === 'public') return publicRoute(path);
  return 'other';
}
