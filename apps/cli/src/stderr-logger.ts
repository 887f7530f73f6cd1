import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/** Diagnostics go to stderr so that stdout carries only the command's output (`--json` stays parseable). */
export class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _writeStreamType?: 'stdout' | 'stderr',
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr');
  }
}
