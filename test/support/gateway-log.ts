import type { GatewayProcess } from './gateway-process';

/**
 * Waits until the gateway's output contains `expected`, and returns the output. The gateway writes
 * its log asynchronously (see root-logger.ts), so a line may arrive a moment after the response
 * whose handling wrote it.
 */
export async function waitForLog(
  gw: Pick<GatewayProcess, 'log'>,
  expected: string | RegExp,
  timeoutMs = 5_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = gw.log;
    if (typeof expected === 'string' ? text.includes(expected) : expected.test(text)) return text;
    if (Date.now() > deadline) {
      throw new Error(
        `the gateway did not log ${String(expected)} within ${timeoutMs} ms:\n${text.slice(-3000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
