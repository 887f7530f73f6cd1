/** Human output by default; `--json` for scripts. */
export interface OutputOptions {
  json?: boolean;
}

export function print(value: unknown, options: OutputOptions, human: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** Reports a failure the user can act on; the process exits with status 1 when the command returns. */
export function fail(message: string): void {
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = 1;
}

/** `what` names the missing thing; `instance`, where there is one, the instance it was looked for in. */
export function failMissing(what: string, instance?: string): void {
  fail(instance === undefined ? `${what} does not exist` : `${what} does not exist in ${instance}`);
}

/** A list for people: one line an item, or a sentence saying there is none. */
export function linesOrNone<T>(items: readonly T[], line: (item: T) => string, none: string): string {
  return items.length ? items.map(line).join('\n') : none;
}
