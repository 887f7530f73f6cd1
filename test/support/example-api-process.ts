import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort } from './gateway-process';
import { loopbackFetch } from './loopback-fetch';

function repositoryRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

const ENTRY = join(repositoryRoot(__dirname), 'dist', 'apps', 'example-api', 'src', 'main.js');

export interface ExampleApiOptions {
  issuer: string;
  audience: string;
  introspection?: { clientId: string; clientSecret: string };
  env?: Record<string, string>;
}

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  wwwAuthenticate: string | null;
}

/** The example ERP API (apps/example-api) as a child process, as an ERP API service runs. */
export class ExampleApiProcess {
  readonly output: string[] = [];
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(options: ExampleApiOptions): Promise<ExampleApiProcess> {
    const api = new ExampleApiProcess(await freePort());
    await api.spawn(options);
    return api;
  }

  private async spawn(options: ExampleApiOptions): Promise<void> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      PORT: String(this.port),
      HOST: '127.0.0.1',
      ISSUER: options.issuer,
      AUDIENCE: options.audience,
      ALLOW_HTTP_ISSUER: 'true',
      RESOLVE_ISSUER_TO_LOOPBACK: 'true',
      // The most verbose level: whatever the library says about a token must still not contain it.
      LOG_LEVEL: 'verbose',
      NO_COLOR: '1',
      ...(options.introspection
        ? {
            INTROSPECTION_CLIENT_ID: options.introspection.clientId,
            INTROSPECTION_CLIENT_SECRET: options.introspection.clientSecret,
          }
        : {}),
      ...options.env,
    };
    const child = spawn(process.execPath, [ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => this.output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => this.output.push(d.toString()));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`example API exited early:\n${this.output.join('')}`);
      try {
        const res = await loopbackFetch(`http://127.0.0.1:${this.port}/api/domain/me`);
        await res.arrayBuffer();
        if (res.status === 401) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`example API did not start:\n${this.output.join('')}`);
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ): Promise<ApiAnswer<T>> {
    const res = await loopbackFetch(`http://127.0.0.1:${this.port}${path}`, {
      method,
      headers: {
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : undefined) as T,
      wwwAuthenticate: res.headers.get('www-authenticate'),
    };
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
