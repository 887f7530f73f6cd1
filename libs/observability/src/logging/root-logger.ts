import { pino, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

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

/**
 * The process's one pino logger: JSON lines on stdout with an ISO time and a level name, which log
 * collectors read without configuration. Request lines and Nest's own logs are its children.
 */
export function createRootLogger(level: LevelWithSilent, destination?: DestinationStream): Logger {
  const options = {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
  };
  return destination ? pino(options, destination) : pino(options);
}
