import type { IncomingMessage, ServerResponse } from 'node:http';

export type Listener = 'public' | 'admin';

const listeners = new WeakMap<IncomingMessage, Listener>();

export function markListener(req: IncomingMessage, listener: Listener): void {
  listeners.set(req, listener);
}

export function listenerOf(req: IncomingMessage): Listener | undefined {
  return listeners.get(req);
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
  const listener = listeners.get(req);
  const path = req.url ?? '/';
  if (listener === 'admin' ? adminOnly(path) : listener === 'public' && !adminOnly(path)) {
    next();
    return;
  }
  notFound(res);
}
