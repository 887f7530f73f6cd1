import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Asks clients to close their keep-alive connections once a shutdown has begun, so a drain ends
 * when the last in-flight response is sent instead of waiting for idle connections to time out.
 */
export class ConnectionDrain {
  private draining = false;
  private readonly inFlight = new Set<ServerResponse>();

  /** Front-of-stack middleware: tracks responses in flight, and marks each one during a drain. */
  readonly middleware = (_req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (this.draining) {
      res.setHeader('Connection', 'close');
    } else {
      this.inFlight.add(res);
      // `on`, not `once`: a response closes once, and `once` wraps and unhooks on every request.
      res.on('close', () => this.inFlight.delete(res));
    }
    next();
  };

  /** From now on every response closes its connection, including those already being served. */
  begin(): void {
    this.draining = true;
    for (const res of this.inFlight) {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    }
    this.inFlight.clear();
  }
}
