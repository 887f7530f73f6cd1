import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '../../support/gateway-process';
import type { BareClient } from './bare-provider-configuration';

const START_TIMEOUT_MS = 20_000;

/** The baseline server, running `bare-provider-main.js` (compiled next to this file) in a child process. */
export class BareProviderProcess {
  private readonly output: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly client: BareClient,
  ) {}

  static async start(nodeArgs: readonly string[] = []): Promise<BareProviderProcess> {
    const port = await freePort();
    const client = { clientId: 'bench-bare', clientSecret: randomBytes(24).toString('base64url') };
    const child = spawn(process.execPath, [...nodeArgs, join(__dirname, 'bare-provider-main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        BARE_PORT: String(port),
        BARE_CLIENT_ID: client.clientId,
        BARE_CLIENT_SECRET: client.clientSecret,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const bare = new BareProviderProcess(child, port, client);
    await bare.ready();
    return bare;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get tokenUrl(): string {
    return `${this.origin}/connect/token`;
  }

  /** The `aud` its client-credentials tokens must carry (its default resource). */
  get audience(): string {
    return `${this.origin}/api/domain`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Anything the child wrote to stderr (server_error events), for the failure report. */
  get log(): string {
    return this.output.join('');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private ready(): Promise<void> {
    this.child.stderr?.on('data', (d: Buffer) => this.output.push(d.toString()));
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (err?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!err) {
          resolve();
          return;
        }
        this.child.kill('SIGKILL');
        reject(new Error(`${err.message}\n${this.log}`));
      };
      const timer = setTimeout(
        () => settle(new Error('bare provider did not start in time')),
        START_TIMEOUT_MS,
      );
      this.child.stdout?.on('data', (d: Buffer) => {
        if (d.toString().includes('READY')) settle();
      });
      this.child.once('exit', (code) => settle(new Error(`bare provider exited with code ${code}`)));
      this.child.once('error', (err) => settle(err));
    });
  }
}
