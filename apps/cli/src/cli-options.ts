import { CommandRunner, Option } from 'nest-commander';
import { fail } from './output';

/** Commands that print JSON with `--json`. */
export abstract class JsonOption extends CommandRunner {
  @Option({ flags: '--json', description: 'print JSON' })
  parseJson(): boolean {
    return true;
  }
}

/** A repeatable option's values, in order. */
export const collect = <T>(value: T, previous: T[] = []): T[] => [...previous, value];

/**
 * One of a fixed set of values. A thrown error stops the command with a message and exit status 1
 * (see main.ts), so a mistyped option never runs the command with a default.
 */
export function oneOf<T extends string>(what: string, choices: readonly T[], value: string): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new Error(`${what} must be one of ${choices.join(', ')} (got "${value}")`);
  }
  return value as T;
}

/** A whole number within bounds. */
export function wholeNumber(what: string, value: string, min: number, max: number): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new Error(`${what} must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return Number(value);
}

export function booleanValue(what: string, value: string): boolean {
  if (value !== 'true' && value !== 'false')
    throw new Error(`${what} must be true or false (got "${value}")`);
  return value === 'true';
}

/**
 * An update command given no option would change nothing and look successful: it is refused instead.
 * True when refused.
 */
export function refuseEmptyPatch(patch: object): boolean {
  if (Object.keys(patch).length > 0) return false;
  fail('nothing to change: give at least one option (see --help)');
  return true;
}

/** The first line of stdin, for secrets that must not appear in the process list or shell history. */
export async function readSecretFromStdin(what: string): Promise<string> {
  if (process.stdin.isTTY) throw new Error(`${what} is read from stdin; pipe it in`);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const value = Buffer.concat(chunks).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  if (!value) throw new Error(`${what} on stdin is empty`);
  return value;
}
