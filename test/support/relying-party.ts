import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  body: string;
  headers: IncomingMessage['headers'];
}

/**
 * The app side of the flows: a loopback listener that answers every request with a small page and
 * records it (redirect callbacks, back-channel logout POSTs, front-channel logout frames).
 */
export class RelyingPartyListener {
  readonly received: ReceivedRequest[] = [];
  private server: Server | undefined;
  private waiters: Array<{ match: (r: ReceivedRequest) => boolean; resolve: (r: ReceivedRequest) => void }> =
    [];
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const entry = {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          body: Buffer.concat(chunks).toString(),
          headers: req.headers,
        };
        this.received.push(entry);
        this.waiters = this.waiters.filter((w) => {
          if (!w.match(entry)) return true;
          w.resolve(entry);
          return false;
        });
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          '<!DOCTYPE html><html lang="en"><head><title>App</title></head><body><main>app</main></body></html>',
        );
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Resolves with the first request (already received or yet to come) that matches. */
  waitFor(match: (r: ReceivedRequest) => boolean, timeoutMs = 5000): Promise<ReceivedRequest> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('expected request did not arrive')), timeoutMs);
      this.waiters.push({ match, resolve: (r) => (clearTimeout(timer), resolve(r)) });
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
