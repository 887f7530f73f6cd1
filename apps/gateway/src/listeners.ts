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

function notFound(res: ServerResponse): void {
  const body = JSON.stringify({ error: 'not_found', message: 'no such route on this listener' });
  res.statusCode = 404;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(body);
}

/**
 * Both listeners share one Nest application; this gate keeps them apart. The admin API is never
 * reachable on the public port, and the admin port serves nothing else.
 */
export function listenerGate(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const listener = listeners.get(req);
  const path = req.url ?? '/';
  if (listener === 'admin' ? ADMIN_PATHS.test(path) : listener === 'public' && !ADMIN_PATHS.test(path)) {
    next();
    return;
  }
  notFound(res);
}
