import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The raw cost of what dominates a sign-in: one argon2id verification, on one core. */
export interface Argon2Measurement {
  /** As encoded in the hash, e.g. `argon2id v=19 m=19456,t=2,p=1`. */
  parameters: string;
  verifies: number;
  wallSec: number;
  /** CPU seconds of the measuring process over the loop (one thread: ≈ wallSec on a quiet machine). */
  cpuSec: number;
}

const RESULT_PREFIX = 'ARGON2_RESULT ';

/**
 * Runs the verification loop in a process of its own (`argon2-verify-main.js`, compiled next to
 * this file), so its CPU time is its own and nothing else in this process competes with it.
 */
export function measureArgon2Verify(durationSec: number): Promise<Argon2Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'argon2-verify-main.js')], {
      env: { PATH: process.env.PATH ?? '', ARGON2_DURATION_SEC: String(durationSec) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        reject(
          new Error(`argon2id baseline exited with ${signal ?? code}: ${stderr.trim() || stdout.trim()}`),
        );
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as Argon2Measurement);
    });
  });
}
