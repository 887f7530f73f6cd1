import { captureLines } from '../../test/line-capture';
import { createRootLoggers } from './root-logger';

describe('createRootLoggers', () => {
  it('writes JSON lines with a level name and an ISO time', () => {
    const { stream, lines } = captureLines();
    createRootLoggers('info', stream).root.info({ context: 'Test' }, 'hello');
    const [line] = lines();
    expect(line).toMatchObject({ level: 'info', context: 'Test', msg: 'hello' });
    expect(new Date(line!.time as string).toISOString()).toBe(line!.time);
  });

  it('honours the level', () => {
    const { stream, lines } = captureLines();
    const logger = createRootLoggers('warn', stream).root;
    logger.info('dropped');
    logger.warn('kept');
    expect(lines().map((l) => l.msg)).toEqual(['kept']);
  });

  it('redacts credentials and cookies wherever a header object is logged', () => {
    const { stream, lines } = captureLines();
    const secrets = ['Basic c2VjcmV0OnNlY3JldA==', 'sid=abc123', 'session=xyz; HttpOnly', 'Bearer tok'];
    createRootLoggers('info', stream).root.info(
      {
        headers: { authorization: secrets[0], cookie: secrets[1], 'user-agent': 'curl' },
        req: { headers: { authorization: secrets[3], cookie: secrets[1] } },
        res: { headers: { 'set-cookie': secrets[2] } },
      },
      'with headers',
    );
    const text = JSON.stringify(lines());
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).toContain('curl');
    expect(text).toContain('[redacted]');
  });
});

describe('request lines', () => {
  it('share the destination and level of the root logger', () => {
    const { stream, lines } = captureLines();
    const { root, requests } = createRootLoggers('warn', stream);
    root.warn('from root');
    const line = {
      reqId: 'r-1',
      instance: 'acme',
      route: 'token',
      method: 'POST',
      path: '/id/connect/token',
      durationMs: 1,
      finished: true,
    } as const;
    requests.write({ ...line, statusCode: 200 });
    requests.write({ ...line, statusCode: 500 });
    expect(lines().map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'from root'],
      ['error', 'request completed'],
    ]);
  });
});
