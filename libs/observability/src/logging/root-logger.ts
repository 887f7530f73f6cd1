import { pino, type DestinationStream, type LevelWithSilent, type Logger, type LoggerOptions } from 'pino';
import { BatchedDestination } from './batched-destination';
import { RequestLog } from './request-line';

/**
 * Values that authenticate someone, wherever a header object ends up in a log line. The request
 * log does not write headers at all; this is the net under it (an error carrying its request, a
 * library logging its own).
 */
const REDACTED_PATHS = [
  'authorization',
  'cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'headers["proxy-authorization"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
  '*.headers["proxy-authorization"]',
];

/** The process's loggers: both write JSON lines with an ISO time and a level name to one destination. */
export interface RootLoggers {
  /** For everything but request lines: Nest's logs, libraries, errors. Redacts credentials. */
  root: Logger;
  /**
   * For request lines only, whose fields are fixed and secret-free by construction (see
   * request-line.ts): written without pino's object walk and redaction pass, which matter at one
   * line per token request.
   */
  requests: RequestLog;
}

/**
 * Lines go out in batches of up to 16 KiB (about sixty request lines, one write(2)), or within
 * 100 ms when the gateway is quiet. The write itself is synchronous, as pino's default is: a
 * batch is with the container runtime before the next request is read. On exit (a drained
 * shutdown, a crash) the exit hook writes the last batch; a killed process loses at most 100 ms.
 */
function stdoutDestination(): DestinationStream {
  const out = new BatchedDestination(pino.destination({ dest: 1, sync: true }), {
    maxChars: 16 * 1024,
    maxAgeMs: 100,
  });
  process.once('exit', () => out.flushSync());
  return out;
}

export function createRootLoggers(level: LevelWithSilent, destination?: DestinationStream): RootLoggers {
  const options: LoggerOptions = {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.err },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  const out = destination ?? stdoutDestination();
  const root = pino(options, out);
  return { root, requests: new RequestLog(root, out) };
}
