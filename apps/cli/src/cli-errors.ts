/** What commander hands to its exit override (a CommanderError): it has already printed its message. */
type CommanderExit = Error & { exitCode?: unknown };

/**
 * Commander's own exits (usage errors, `--help`): it printed the message, so only its exit status is
 * kept — 0 for help, non-zero for a usage error.
 */
export function exitLikeCommander(err: CommanderExit): never {
  process.exit(typeof err.exitCode === 'number' ? err.exitCode : 1);
}

/**
 * Anything thrown while parsing options or running a command. nest-commander's default handler
 * prints the error and lets the process end with status 0; a failed command must never look
 * successful to a script.
 */
export function exitOnFailure(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}
