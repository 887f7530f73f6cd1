/**
 * Child process of the sign-in benchmark: argon2id password verification in a tight loop on one
 * thread, with a hash made by the gateway's own `hashSecret` (so with exactly its parameters).
 * Prints one `ARGON2_RESULT {json}` line. Input: ARGON2_DURATION_SEC.
 */
import { hashSecret } from '@erp-id/accounts';
import { verifySync } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Argon2Measurement } from './argon2-measurement';

/** Verifies before the clock starts: the first calls allocate the 19 MiB block and fault its pages in. */
const WARM_UP_VERIFIES = 3;

/** `m=19456,t=2,p=1` out of `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`. */
function parametersOf(encoded: string): string {
  const [, algorithm, version, parameters] = encoded.split('$');
  return `${algorithm} ${version} ${parameters}`;
}

async function main(): Promise<void> {
  const durationMs = Number(process.env.ARGON2_DURATION_SEC) * 1000;
  if (!Number.isFinite(durationMs) || durationMs <= 0)
    throw new Error('ARGON2_DURATION_SEC must be positive');

  const password = randomBytes(18).toString('base64url');
  const stored = await hashSecret(password);
  // A loop that verified nothing would be fast and meaningless.
  if (!verifySync(stored, password) || verifySync(stored, `${password}x`))
    throw new Error('argon2id verification does not tell the right password from a wrong one');
  for (let i = 0; i < WARM_UP_VERIFIES; i++) verifySync(stored, password);

  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let verifies = 0;
  while (performance.now() - started < durationMs) {
    if (!verifySync(stored, password)) throw new Error('a correct password failed verification');
    verifies++;
  }
  const wallSec = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const result: Argon2Measurement = {
    parameters: parametersOf(stored),
    verifies,
    wallSec,
    cpuSec: (cpu.user + cpu.system) / 1e6,
  };
  process.stdout.write(`ARGON2_RESULT ${JSON.stringify(result)}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
