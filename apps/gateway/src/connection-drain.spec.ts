import { createServer, request, Agent, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectionDrain } from './connection-drain';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function get(port: number, agent: Agent, path = '/'): Promise<IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.headers));
    })
      .on('error', reject)
      .end();
  });
}

describe('ConnectionDrain', () => {
  let server: Server;
  let port: number;
  let drain: ConnectionDrain;
  let agent: Agent;
  /** Requests to /slow wait here until the test lets them finish. */
  let releaseSlow: (() => void) | undefined;
  let slowArrived: Promise<void>;
  let onSlowArrived: () => void;

  beforeEach(async () => {
    drain = new ConnectionDrain();
    slowArrived = new Promise((resolve) => (onSlowArrived = resolve));
    server = createServer({ ServerResponse: drain.Response }, (req, res) => {
      if (req.url === '/slow') {
        releaseSlow = () => res.end('slow');
        onSlowArrived();
      } else res.end('ok');
    });
    port = await listen(server);
    agent = new Agent({ keepAlive: true, maxSockets: 2 });
  });

  afterEach(async () => {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('keeps connections alive while no drain has begun', async () => {
    const headers = await get(port, agent);
    expect(headers.connection).toBe('keep-alive');
  });

  it('closes the connection of a response that was already in flight when the drain began', async () => {
    const slow = get(port, agent, '/slow');
    await slowArrived;
    drain.begin();
    releaseSlow!();
    expect((await slow).connection).toBe('close');
  });

  it('closes the connection of every response after the drain began, on kept-alive connections too', async () => {
    expect((await get(port, agent)).connection).toBe('keep-alive');
    drain.begin();
    expect((await get(port, agent)).connection).toBe('close');
  });

  it('still honours a client that asked to close', async () => {
    const headers = await new Promise<IncomingHttpHeaders>((resolve, reject) => {
      request({ port, host: '127.0.0.1', headers: { connection: 'close' }, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers));
      })
        .on('error', reject)
        .end();
    });
    expect(headers.connection).toBe('close');
  });
});
