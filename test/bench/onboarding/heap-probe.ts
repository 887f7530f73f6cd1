import { WebSocket } from 'undici';

/** The gateway's memory right after a full garbage collection, as `process.memoryUsage()` reports it. */
export interface MemorySample {
  /** Live JavaScript objects (V8 heap in use). */
  heapUsedBytes: number;
  /** Memory of C++ objects bound to JavaScript ones (buffers, key material handles…). */
  externalBytes: number;
  /** Resident set of the whole process: informational, the allocator rarely gives pages back. */
  rssBytes: number;
}

/** What every per-instance figure is computed from: everything a collection can reclaim. */
export const liveBytes = (m: MemorySample): number => m.heapUsedBytes + m.externalBytes;

/**
 * The gateway child of a benchmark is started with `--inspect=127.0.0.1:0`; Node prints where its
 * inspector listens. The port is random, the address loopback, and nothing else uses it.
 */
const INSPECTOR_URL = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/;

/** NODE_OPTIONS for a gateway that a HeapProbe should be able to read. */
export const INSPECTABLE_NODE_OPTIONS = '--inspect=127.0.0.1:0';

export function inspectorUrlIn(output: string): string {
  const found = INSPECTOR_URL.exec(output);
  if (!found) throw new Error('the gateway did not print an inspector address (started without --inspect?)');
  return found[1]!;
}

interface InspectorReply {
  id?: number;
  result?: { result?: { value?: unknown }; exceptionDetails?: unknown };
  error?: { message: string };
}

/**
 * Reads a gateway's memory through the V8 inspector: asks for a full collection first, so the
 * figure is what is still referenced (what the instances really hold), not whatever garbage the
 * last allocations left. No gateway code is involved: the protocol is Node's own.
 */
export class HeapProbe {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(r: InspectorReply): void; reject(e: Error): void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const reply = JSON.parse(String(event.data)) as InspectorReply;
      if (reply.id === undefined) return;
      this.pending.get(reply.id)?.resolve(reply);
      this.pending.delete(reply.id);
    });
    socket.addEventListener('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('inspector connection closed'));
      this.pending.clear();
    });
  }

  static async connect(url: string): Promise<HeapProbe> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${url}`)), {
        once: true,
      });
    });
    return new HeapProbe(socket);
  }

  private call(method: string, params: Record<string, unknown> = {}): Promise<InspectorReply> {
    const id = this.nextId++;
    const reply = new Promise<InspectorReply>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.socket.send(JSON.stringify({ id, method, params }));
    return reply.then((r) => {
      if (r.error) throw new Error(`inspector ${method}: ${r.error.message}`);
      return r;
    });
  }

  async measure(): Promise<MemorySample> {
    // Twice: objects freed by the first pass's finalizers and weak callbacks go in the second.
    await this.call('HeapProfiler.collectGarbage');
    await this.call('HeapProfiler.collectGarbage');
    const reply = await this.call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    });
    const value = reply.result?.result?.value;
    if (reply.result?.exceptionDetails || typeof value !== 'string')
      throw new Error('inspector: process.memoryUsage() could not be read');
    const usage = JSON.parse(value) as { heapUsed: number; external: number; rss: number };
    return { heapUsedBytes: usage.heapUsed, externalBytes: usage.external, rssBytes: usage.rss };
  }

  close(): void {
    this.socket.close();
  }
}
