import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loopbackFetch } from './loopback-fetch';

/** The repository root: the nearest folder with a package.json (this file also runs compiled, from dist/). */
function repositoryRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

const ROOT = repositoryRoot(__dirname);

export interface GatewayOptions {
  databaseUrl?: string;
  redisUrl?: string;
  redisKeyPrefix?: string;
  dataDir?: string;
  env?: Record<string, string>;
  /** Another build's compiled `main.js` (benchmarks compare builds); defaults to this one's. */
  entry?: string;
  /** Reuse ports (for restart tests). */
  port?: number;
  adminPort?: number;
  /**
   * Write the gateway's stdout and stderr to this file instead of collecting them in `output`.
   * Benchmarks use it: collecting a line per request would cost the load generator's own process.
   */
  logFile?: string;
  /** Node.js options before the entry (benchmarks profile the gateway with `--cpu-prof`). */
  nodeArgs?: readonly string[];
}

export interface AdminResponse<T = unknown> {
  status: number;
  body: T;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Locates the compiled gateway: tests run it as a real process, as production does. */
function gatewayEntry(): string {
  return join(ROOT, 'dist', 'apps', 'gateway', 'src', 'main.js');
}

/** A gateway started as a child process, with helpers to talk to its two listeners. */
export class GatewayProcess {
  readonly adminToken = 'test-admin-token-0123456789abcdef';
  readonly output: string[] = [];
  private child: ChildProcess | undefined;
  private ownedDataDir: string | undefined;

  private constructor(
    readonly port: number,
    readonly adminPort: number,
    readonly dataDir: string,
    private readonly options: GatewayOptions,
  ) {}

  static async start(options: GatewayOptions = {}): Promise<GatewayProcess> {
    const port = options.port ?? (await freePort());
    const adminPort = options.adminPort ?? (await freePort());
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'idgw-'));
    const gw = new GatewayProcess(port, adminPort, dataDir, options);
    if (!options.dataDir) gw.ownedDataDir = dataDir;
    try {
      await gw.spawn();
    } catch (err) {
      // A process that never became ready may still be running: it must not outlive the test.
      await gw.dispose();
      throw err;
    }
    return gw;
  }

  /** Everything the process wrote so far, wherever it went. */
  get log(): string {
    if (!this.options.logFile) return this.output.join('');
    return existsSync(this.options.logFile) ? readFileSync(this.options.logFile, 'utf8') : '';
  }

  /** The running process' pid (for its CPU time); undefined before start and after exit. */
  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  get baseDomain(): string {
    return 'localhost';
  }

  origin(instance: string): string {
    return `http://${instance}.localhost:${this.port}`;
  }

  issuer(instance: string): string {
    return `${this.origin(instance)}/id`;
  }

  async spawn(): Promise<void> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      PORT: String(this.port),
      ADMIN_PORT: String(this.adminPort),
      ADMIN_HOST: '127.0.0.1',
      BASE_DOMAIN: 'localhost',
      DATA_DIR: this.dataDir,
      ADMIN_API_TOKEN: this.adminToken,
      KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      DEMO_INSTANCE: 'false',
      // The test apps (back-channel logout receivers) listen on the loopback address.
      ALLOW_PRIVATE_NETWORK_CALLBACKS: 'true',
      LOG_LEVEL: 'info',
      ...(this.options.databaseUrl ? { DATABASE_URL: this.options.databaseUrl } : {}),
      ...(this.options.redisUrl ? { REDIS_URL: this.options.redisUrl } : {}),
      ...(this.options.redisKeyPrefix ? { REDIS_KEY_PREFIX: this.options.redisKeyPrefix } : {}),
      ...this.options.env,
    };
    const logFd = this.options.logFile ? openSync(this.options.logFile, 'a') : undefined;
    const child = spawn(
      process.execPath,
      [...(this.options.nodeArgs ?? []), this.options.entry ? resolve(this.options.entry) : gatewayEntry()],
      {
        env,
        stdio: ['ignore', logFd ?? 'pipe', logFd ?? 'pipe'],
      },
    );
    if (logFd !== undefined) closeSync(logFd);
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => this.output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => this.output.push(d.toString()));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`gateway exited early:\n${this.log}`);
      try {
        const res = await loopbackFetch(
          `http://127.0.0.1:${this.adminPort}/admin/v1/instances/readiness-probe`,
          {
            headers: { authorization: `Bearer ${this.adminToken}` },
          },
        );
        await res.arrayBuffer();
        if (res.status === 404) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`gateway did not start:\n${this.log}`);
  }

  async admin<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    token = this.adminToken,
  ): Promise<AdminResponse<T>> {
    const res = await loopbackFetch(`http://127.0.0.1:${this.adminPort}/admin/v1${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Stops the process (SIGTERM, then SIGKILL after a grace period). */
  async stop(): Promise<void> {
    const child = this.child;
    // A process ended by a signal has no exit code, and a second 'exit' event never comes.
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /**
   * Sends SIGTERM, as the kubelet does, and resolves with how the process ended. Only a process that
   * outlives the gateway's own drain limit (25 s) is killed, so the exit code is the gateway's verdict.
   */
  async terminate(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    if (!child) throw new Error('gateway was never started');
    if (child.exitCode !== null || child.signalCode !== null) {
      return { code: child.exitCode, signal: child.signalCode };
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.once('exit', (code, signal) => r({ code, signal })),
    );
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.spawn();
  }

  async dispose(): Promise<void> {
    await this.stop();
    if (this.ownedDataDir) rmSync(this.ownedDataDir, { recursive: true, force: true });
  }
}
