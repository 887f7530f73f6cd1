import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { RequestOriginReader } from './request-origin';

function request(peer: string, headers: Record<string, string>): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: peer });
  const req = new IncomingMessage(socket);
  req.headers = headers;
  return req;
}

describe('RequestOriginReader', () => {
  const reader = new RequestOriginReader(['10.0.0.0/8']);

  it('uses the Host header and the socket peer when no proxy is trusted', () => {
    const origin = reader.read(
      request('203.0.113.9', {
        host: 'TestDB.my.erp.net',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
      }),
    );
    expect(origin).toEqual({
      scheme: 'http',
      host: 'testdb.my.erp.net',
      hostname: 'testdb.my.erp.net',
      origin: 'http://testdb.my.erp.net',
      clientIp: '203.0.113.9',
    });
  });

  it('believes forwarded headers from a trusted proxy', () => {
    const origin = reader.read(
      request('10.1.2.3', {
        host: 'internal:3000',
        'x-forwarded-host': 'acme.my.erp.net, other',
        'x-forwarded-proto': 'https',
        'x-forwarded-for': '198.51.100.7, 10.9.9.9',
      }),
    );
    expect(origin).toMatchObject({
      scheme: 'https',
      host: 'acme.my.erp.net',
      origin: 'https://acme.my.erp.net',
      clientIp: '198.51.100.7',
    });
  });

  it('keeps the port in host and origin, and strips a trailing dot from the hostname', () => {
    expect(reader.read(request('127.0.0.1', { host: 'acme.localhost.:3000' }))).toMatchObject({
      host: 'acme.localhost.:3000',
      hostname: 'acme.localhost',
    });
  });

  it.each([[''], ['bad host'], ['a_b.localhost'], ['x'.repeat(400)], ['acme.localhost:99999999']])(
    'rejects host %p',
    (host) => {
      expect(reader.read(request('127.0.0.1', host ? { host } : {}))).toBeNull();
    },
  );

  it('trusts nobody by default', () => {
    const none = new RequestOriginReader([]);
    expect(
      none.read(request('10.1.2.3', { host: 'a.localhost', 'x-forwarded-host': 'b.localhost' }))?.host,
    ).toBe('a.localhost');
  });
});
