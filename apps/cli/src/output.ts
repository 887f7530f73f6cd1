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
