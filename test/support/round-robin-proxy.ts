import {
  Agent,
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where one replica listens: public traffic on `port`, the readiness probe on `adminPort`. */
export interface UpstreamAddress {
  port: number;
  adminPort: number;
}

/** Why an attempt failed before any byte of the response came back. */
export type EarlyFailure = 'refused' | 'reset-reused-connection' | 'reset-new-connection';

export interface UpstreamStats {
  /** Responses this upstream started to send back. */
  served: number;
  /** Attempts that failed before a response byte arrived, by cause (each went to another upstream). */
  earlyFailures: Record<EarlyFailure, number>;
}

export interface RoundRobinProxyOptions {
  /** How often each upstream's `/readyz` is polled, like a Kubernetes readiness probe's period. */
  probeIntervalMs?: number;
  /** Bodies up to this size are buffered (and so retryable); larger ones are refused with 413. */
  maxBufferedBody?: number;
}

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase()),
  );
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)) kept[name] = value;
  }
  return kept;
}

class Upstream {
  ready = false;
  readonly stats: UpstreamStats = {
    served: 0,
    earlyFailures: { refused: 0, 'reset-reused-connection': 0, 'reset-new-connection': 0 },
  };
  constructor(readonly address: UpstreamAddress) {}
}

/**
 * A load balancer in front of several gateway replicas, keeping the Host header so every replica
 * sees the same issuer. Like kube-proxy plus an ingress controller it
 * - sends new requests round-robin to the replicas whose `/readyz` answers 200 (probed continuously);
 * - stops sending to a replica as soon as it refuses a connection, until its probe succeeds again;
 * - buffers request bodies and, when the connection to a replica fails before any byte of the response
 *   came back, sends the request to the next replica (nginx's `proxy_next_upstream error`; for POST
 *   nginx also needs `non_idempotent`). That is only harmless when a draining replica answers every
 *   request it read, which is what the rolling-restart test checks: a replica that dropped requests
 *   would show up as replays that fail (a code redeemed twice) and in `earlyFailures`;
 * - never retries once a response started: the client then sees the broken response, as it would.
 */
export class RoundRobinProxy {
  private server: Server | undefined;
  private readonly upstreams: Upstream[];
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly probeAgent = new Agent({ keepAlive: false });
  private readonly probeIntervalMs: number;
  private readonly maxBufferedBody: number;
  private probeTimer: NodeJS.Timeout | undefined;
  private next = 0;
  /** Requests answered 502 because no upstream could take them. */
  badGateways = 0;
  port = 0;

  constructor(addresses: readonly UpstreamAddress[], options: RoundRobinProxyOptions = {}) {
    this.upstreams = addresses.map((a) => new Upstream(a));
    this.probeIntervalMs = options.probeIntervalMs ?? 200;
    this.maxBufferedBody = options.maxBufferedBody ?? 1024 * 1024;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    await this.probeAll();
    const loop = (): void => {
      this.probeTimer = setTimeout(async () => {
        await this.probeAll();
        // stop() may have come while the probes were out: then no next round.
        if (this.server?.listening) loop();
      }, this.probeIntervalMs);
    };
    loop();
  }

  stats(index: number): UpstreamStats {
    const { served, earlyFailures } = this.upstreams[index]!.stats;
    return { served, earlyFailures: { ...earlyFailures } };
  }

  /** Resolves once the probe has seen upstream `index` ready (as an endpoint is added back to a Service). */
  async whenReady(index: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.upstreams[index]!.ready) {
      if (Date.now() > deadline) throw new Error(`upstream ${index} did not become ready`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.agent.destroy();
    this.probeAgent.destroy();
  }

  private async probeAll(): Promise<void> {
    await Promise.all(this.upstreams.map(async (u) => (u.ready = await this.probe(u.address.adminPort))));
  }

  private probe(adminPort: number): Promise<boolean> {
    return new Promise((resolve) => {
      const req = request(
        { host: '127.0.0.1', port: adminPort, path: '/readyz', agent: this.probeAgent, timeout: 1_000 },
        (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        },
      );
      req.on('timeout', () => req.destroy(new Error('probe timeout')));
      req.on('error', () => resolve(false));
      req.end();
    });
  }

  /** The order to try upstreams in: the ready ones round-robin, then the others as a last resort. */
  private candidates(): Upstream[] {
    const start = this.next++;
    const rotated = this.upstreams.map((_, i) => this.upstreams[(start + i) % this.upstreams.length]!);
    return [...rotated.filter((u) => u.ready), ...rotated.filter((u) => !u.ready)];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await this.readBody(req);
    if (body === null) return;
    if (body === undefined) {
      res.writeHead(413, { connection: 'close' }).end();
      return;
    }
    const headers = endToEnd(req.headers);
    if (body.length > 0 || req.headers['content-length'] !== undefined) {
      headers['content-length'] = String(body.length);
    }

    for (const upstream of this.candidates()) {
      const outcome = await this.attempt(upstream, req, headers, body, res);
      if (outcome === 'answered' || outcome === 'client-gone') return;
      upstream.stats.earlyFailures[outcome]++;
      // A refused connection means the replica stopped listening: no new requests until its probe passes.
      if (outcome === 'refused') upstream.ready = false;
    }
    this.badGateways++;
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('no upstream could answer');
  }

  /** The whole body; undefined when it is larger than the proxy buffers, null when the client went away. */
  private readBody(req: IncomingMessage): Promise<Buffer | undefined | null> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= this.maxBufferedBody) chunks.push(chunk);
      });
      req.on('end', () => resolve(size <= this.maxBufferedBody ? Buffer.concat(chunks) : undefined));
      req.on('error', () => resolve(null));
    });
  }

  private attempt(
    upstream: Upstream,
    req: IncomingMessage,
    headers: OutgoingHttpHeaders,
    body: Buffer,
    res: ServerResponse,
  ): Promise<'answered' | 'client-gone' | EarlyFailure> {
    return new Promise((resolve) => {
      let started = false;
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: upstream.address.port,
          method: req.method,
          path: req.url,
          headers,
          agent: this.agent,
        },
        (answer) => {
          started = true;
          upstream.stats.served++;
          res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
          answer.pipe(res);
          // A response cut off mid-way is not retried: the client sees it broken.
          answer.once('close', () => {
            if (!answer.complete) res.destroy();
          });
          res.once('close', () => resolve('answered'));
        },
      );
      outgoing.on('error', (err: NodeJS.ErrnoException) => {
        if (started) return;
        if (err.code === 'ECONNREFUSED') resolve('refused');
        // A reused keep-alive connection the replica closed as the request went out is the expected
        // race of HTTP/1.1; a new connection reset before an answer means the replica dropped it.
        else resolve(outgoing.reusedSocket ? 'reset-reused-connection' : 'reset-new-connection');
      });
      res.once('close', () => {
        if (!started) {
          outgoing.destroy();
          resolve('client-gone');
        }
      });
      outgoing.end(body);
    });
  }
}
