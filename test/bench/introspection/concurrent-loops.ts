import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Operations each loop runs before letting the event loop turn. A server's requests arrive through
 * I/O, so its event loop turns between them; loops of operations that never wait for I/O (cache
 * hits) would otherwise hold it for the whole run, and timers, the cache's clock among them, would
 * stand still.
 */
const OPS_PER_TURN = 32;

export interface LoopsRun {
  /** Operations that completed while the loops ran. */
  count: number;
  seconds: number;
  perSec: number;
  /** CPU time of this process (all its threads) while the loops ran, in microseconds. */
  cpuUs: number;
}

/**
 * `inFlight` loops running `op` back to back for `durationSec`. The first failure stops every loop
 * and is rethrown: a figure that includes failed operations would not measure the operation.
 */
export async function concurrentLoops(
  inFlight: number,
  durationSec: number,
  op: (loop: number) => Promise<void>,
): Promise<LoopsRun> {
  const deadline = Date.now() + durationSec * 1000;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let count = 0;
  let failed = false;
  await Promise.all(
    Array.from({ length: inFlight }, async (_, loop) => {
      let done = 0;
      try {
        while (!failed && Date.now() < deadline) {
          await op(loop);
          count++;
          if (++done % OPS_PER_TURN === 0) await nextTurn();
        }
      } catch (err) {
        failed = true;
        throw err;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { count, seconds, perSec: count / seconds, cpuUs: cpu.user + cpu.system };
}
