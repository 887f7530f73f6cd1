import { plainText } from './log-text';

/**
 * Runs one phase of the benchmark. A failure is recorded (with `context`, e.g. the server's log
 * tail) and the run goes on with the next phase, so one broken phase still leaves the others'
 * figures; the process exits non-zero at the end.
 */
export async function runPhase<T>(
  name: string,
  errors: string[],
  body: () => Promise<T>,
  context: () => string = () => '',
): Promise<T | undefined> {
  console.log(`\n[${name}]`);
  try {
    return await body();
  } catch (err) {
    const message = plainText((err as Error).message);
    const detail = context();
    errors.push(`${name}: ${message}${detail ? `\n--- context ---\n${detail}` : ''}`);
    console.error(`[${name}] FAILED: ${message.split('\n')[0]}`);
    return undefined;
  }
}
