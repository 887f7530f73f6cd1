import { Socket } from 'node:net';
import { GatewayRequest } from './gateway-request';
import { mountAt } from './issuer-fast-path';
import { listenerOf, markListener } from './listeners';

describe('GatewayRequest', () => {
  it('has every property the issuer fast path sets from birth, so the path adds none', () => {
    const req = new GatewayRequest(new Socket());
    req.url = '/id/connect/token';
    const keysAtBirth = Reflect.ownKeys(req);

    markListener(req, 'public');
    req.id = 'request-1';
    let seenUrl: string | undefined;
    mountAt((inner, _res, next) => {
      seenUrl = inner.url;
      next();
    })(req, {} as never, () => undefined);

    expect(Reflect.ownKeys(req)).toEqual(keysAtBirth);
    expect(listenerOf(req)).toBe('public');
    expect(seenUrl).toBe('/connect/token');
    expect(req).toMatchObject({ originalUrl: '/id/connect/token', baseUrl: '/id', url: '/id/connect/token' });
  });

  it('starts with empty slots: nothing is marked until the gateway marks it', () => {
    const req = new GatewayRequest(new Socket());
    expect(listenerOf(req)).toBeUndefined();
    expect(req).toMatchObject({ originalUrl: undefined, baseUrl: undefined, id: '' });
  });
});
