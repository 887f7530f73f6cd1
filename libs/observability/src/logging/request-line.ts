import { hostname } from 'node:os';
import type { DestinationStream, Level, Logger } from 'pino';
import type { RouteLabel } from '../http/route-label';

/** Paths are logged, but a client must not be able to write kilobytes per line. */
const MAX_PATH = 256;

/**
 * Everything a request line says. Deliberately no headers (credentials, cookies), query strings
 * (codes, tokens, state) or bodies (secrets, passwords): nothing here can carry a secret, which is
 * why request lines skip the redaction pass the other logs go through.
 */
export interface RequestLine {
  reqId: string;
  instance: string | undefined;
  route: RouteLabel;
  method: string | undefined;
  /** The path without query string (see pathOf). */
  path: string;
  statusCode: number;
  durationMs: number;
  /** False when the connection closed before the response was complete. */
  finished: boolean;
}

/** Probes and scrapes come every few seconds: only worth a line when they fail. */
const QUIET_ROUTES: ReadonlySet<RouteLabel> = new Set(['health', 'metrics']);

export function requestLineLevel(line: RequestLine): Level {
  if (!line.finished) return 'warn';
  if (QUIET_ROUTES.has(line.route)) return line.statusCode < 400 ? 'debug' : 'warn';
  return line.statusCode >= 500 ? 'error' : 'info';
}

const quoted = (value: string): string => JSON.stringify(value);

let isoMs = 0;
let iso = '';

/** The time as pino's isoTime writes it; formatted once per millisecond, not once per line. */
function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    iso = new Date(ms).toISOString();
  }
  return iso;
}

/**
 * One request line as JSON, in the shape pino writes (level name, ISO time, pid, hostname, the
 * fields, msg; absent values left out). Serialized by hand because every field is known: pino's
 * general object walk was the largest single cost the gateway added to a token request.
 */
export function serializeRequestLine(level: Level, line: RequestLine, processFields: string): string {
  const instance = line.instance === undefined ? '' : `,"instance":${quoted(line.instance)}`;
  const method = line.method === undefined ? '' : `"method":${quoted(line.method)},`;
  return (
    `{"level":"${level}","time":"${isoNow()}"${processFields},"reqId":${quoted(line.reqId)}` +
    `${instance},"route":"${line.route}","req":{${method}"path":${quoted(line.path.slice(0, MAX_PATH))}}` +
    `,"res":{"statusCode":${line.statusCode}},"durationMs":${line.durationMs}` +
    `,"msg":"${line.finished ? 'request completed' : 'request aborted'}"}\n`
  );
}

/**
 * Writes one line when a request ends (request id, instance, route, status and duration) to the
 * root logger's destination, at the root logger's level.
 */
export class RequestLog {
  /** What pino puts in every line about the process. */
  private readonly processFields = `,"pid":${process.pid},"hostname":${quoted(hostname())}`;

  constructor(
    private readonly levels: Pick<Logger, 'isLevelEnabled'>,
    private readonly out: DestinationStream,
  ) {}

  write(line: RequestLine): void {
    const level = requestLineLevel(line);
    if (this.levels.isLevelEnabled(level))
      this.out.write(serializeRequestLine(level, line, this.processFields));
  }
}
