import { hostname } from 'node:os';
import { pino } from 'pino';
import { captureLines } from '../../test/line-capture';
import { type RequestLine, RequestLog, requestLineLevel, serializeRequestLine } from './request-line';

const line = (over: Partial<RequestLine>): RequestLine => ({
  reqId: 'r-1',
  instance: 'acme',
  route: 'token',
  method: 'POST',
  path: '/id/connect/token',
  statusCode: 200,
  durationMs: 1.5,
  finished: true,
  ...over,
});

const PROCESS = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())}`;

describe('request lines', () => {
  it('are info for answers, error for 5xx, warn for cut-off responses', () => {
    expect(requestLineLevel(line({ statusCode: 200 }))).toBe('info');
    expect(requestLineLevel(line({ statusCode: 404 }))).toBe('info');
    expect(requestLineLevel(line({ statusCode: 503 }))).toBe('error');
    expect(requestLineLevel(line({ finished: false }))).toBe('warn');
  });

  it('keep probes and scrapes at debug unless they fail', () => {
    expect(requestLineLevel(line({ route: 'health' }))).toBe('debug');
    expect(requestLineLevel(line({ route: 'metrics', statusCode: 503 }))).toBe('warn');
  });

  it('are the line pino would write for the same fields', () => {
    const { stream: out, lines } = captureLines();
    const logger = pino(
      {
        timestamp: () => `,"time":"2026-12-03T10:00:00.000Z"`,
        formatters: { level: (label: string) => ({ level: label }) },
      },
      out,
    );
    for (const l of [line({}), line({ instance: undefined, method: undefined, finished: false })]) {
      logger.info(
        {
          reqId: l.reqId,
          instance: l.instance,
          route: l.route,
          req: { method: l.method, path: l.path },
          res: { statusCode: l.statusCode },
          durationMs: l.durationMs,
        },
        l.finished ? 'request completed' : 'request aborted',
      );
      const ours = JSON.parse(serializeRequestLine('info', l, PROCESS)) as Record<string, unknown>;
      const theirs = lines().pop()!;
      expect(Object.keys(ours)).toEqual(Object.keys(theirs));
      expect({ ...ours, time: theirs.time }).toEqual(theirs);
      expect(new Date(ours.time as string).toISOString()).toBe(ours.time);
    }
  });

  it('escape what a client controls, so no request can forge or break a line', () => {
    const path = '/id/"},"level":"fatal\n{"forged":true}\u2028é\\';
    const text = serializeRequestLine('info', line({ path, method: 'M"X' }), PROCESS);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('\n');
    const parsed = JSON.parse(text) as { level: string; req: { path: string; method: string } };
    expect(parsed.level).toBe('info');
    expect(parsed.req).toEqual({ method: 'M"X', path });
  });

  it('carry request id, instance, route, method, bounded path, status and duration', () => {
    const { stream: out, lines } = captureLines();
    new RequestLog(pino({ level: 'info' }, out), out).write(line({ path: `/id/${'x'.repeat(1000)}` }));
    const [written] = lines();
    expect(written).toMatchObject({
      level: 'info',
      pid: process.pid,
      reqId: 'r-1',
      instance: 'acme',
      route: 'token',
      req: { method: 'POST' },
      res: { statusCode: 200 },
      durationMs: 1.5,
      msg: 'request completed',
    });
    expect((written!.req as { path: string }).path).toHaveLength(256);
  });

  it('follow the level they are given', () => {
    const { stream: out, lines } = captureLines();
    const log = new RequestLog(pino({ level: 'warn' }, out), out);
    log.write(line({ statusCode: 200 }));
    log.write(line({ statusCode: 502 }));
    log.write(line({ finished: false }));
    expect(lines().map((l) => [l.level, l.msg])).toEqual([
      ['error', 'request completed'],
      ['warn', 'request aborted'],
    ]);
  });
});
