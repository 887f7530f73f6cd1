import { Writable } from 'node:stream';
import { pino } from 'pino';
import { type RequestLine, requestLineLevel, writeRequestLine } from './request-line';

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

  it('carry request id, instance, route, method, bounded path, status and duration', () => {
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    writeRequestLine(pino(out), line({ path: `/id/${'x'.repeat(1000)}` }));
    const written = JSON.parse(chunks.join('')) as Record<string, unknown>;
    expect(written).toMatchObject({
      reqId: 'r-1',
      instance: 'acme',
      route: 'token',
      res: { statusCode: 200 },
      durationMs: 1.5,
      msg: 'request completed',
    });
    expect((written.req as { path: string }).path).toHaveLength(256);
  });
});
