import type { IncomingMessage, ServerResponse } from 'node:http';

export type Listener = 'public' | 'admin';

// A symbol-keyed property, not a WeakMap: a WeakMap entry per request costs a hash insert and
// ephemeron work in every garbage collection, on the token endpoint's hot path.
const LISTENER = Symbol('listener');

interface MarkedRequest extends IncomingMessage {
  [LISTENER]?: Listener;
}

/** Gives a new request its (empty) listener slot; see gateway-request.ts. */
export function reserveListenerSlot(req: IncomingMessage): void {
  (req as MarkedRequest)[LISTENER] = undefined;
}

export function markListener(req: IncomingMessage, listener: Listener): void {
  (req as MarkedRequest)[LISTENER] = listener;
}

export function listenerOf(req: IncomingMessage): Listener | undefined {
  return (req as MarkedRequest)[LISTENER];
}

const ADMIN_PATHS = /^\/admin(\/|$)/;
/** Probes and the metrics scrape: exactly these paths, on the admin listener only. */
const OPERATIONS_PATHS = /^\/(healthz|readyz|metrics)(\?|$)/;

function notFound(res: ServerResponse): void {
  const body = JSON.stringify({ error: 'not_found', message: 'no such route on this listener' });
  res.statusCode = 404;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(body);
}

function adminOnly(path: string): boolean {
  return ADMIN_PATHS.test(path) || OPERATIONS_PATHS.test(path);
}

/**
 * Both listeners share one Nest application; this gate keeps them apart. The admin API, probes
 * and metrics are never reachable on the public port, and the admin port serves nothing else.
 */
export function listenerGate(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const listener = listenerOf(req);
  const path = req.url ?? '/';
  if (listener === 'admin' ? adminOnly(path) : listener === 'public' && !adminOnly(path)) {
    next();
    return;
  }
  notFound(res);
}
