import { pino, type DestinationStream, type LevelWithSilent, type Logger, type LoggerOptions } from 'pino';
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

/** Lines gather until this many bytes are waiting, then go out in one write. */
const WRITE_BATCH_BYTES = 4096;
/** …or until this much time has passed: a quiet gateway's lines are never held longer. */
const FLUSH_EVERY_MS = 100;

/**
 * Asynchronous, batched writes: a write(2) per line (a libuv worker woken per request) costs the
 * token endpoint about as much as the rest of its logging. Under load about fifteen request lines
 * go out per write; when quiet, within 100 ms. pino flushes what is left synchronously when the
 * process exits, so a shutdown loses nothing.
 */
function stdoutDestination(): DestinationStream {
  return pino.destination({
    dest: 1,
    sync: false,
    minLength: WRITE_BATCH_BYTES,
    periodicFlush: FLUSH_EVERY_MS,
  });
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
