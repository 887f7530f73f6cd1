import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A reverse proxy in front of several gateway processes that sends each request to the upstream the
 * test chose, keeping the Host header: to the browser and the apps there is one issuer, as behind
 * a real load balancer.
 */
export class SwitchingProxy {
  private server: Server | undefined;
  private target = 0;
  port = 0;

  constructor(private readonly upstreamPorts: readonly number[]) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const upstream = request(
        {
          host: '127.0.0.1',
          port: this.upstreamPorts[this.target],
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Sends the following requests to upstream `index`. */
  use(index: number): void {
    this.target = index;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
