import { pathOf, routeLabel } from './route-label';

describe('routeLabel', () => {
  it.each([
    ['/id/.well-known/openid-configuration', 'discovery'],
    ['/id/.well-known/oauth-authorization-server', 'discovery'],
    ['/id/.well-known/openid-configuration/jwks', 'jwks'],
    ['/id/connect/authorize?client_id=x&response_type=code', 'authorize'],
    ['/id/connect/authorize/resume-uid-123', 'authorize'],
    ['/id/connect/token', 'token'],
    ['/id/connect/token/', 'token'],
    ['/id/connect/userinfo', 'userinfo'],
    ['/id/connect/endsession', 'endsession'],
    ['/id/connect/endsession/confirm', 'endsession'],
    ['/id/connect/endsession/success?state=abc', 'endsession'],
    ['/id/connect/introspect', 'introspect'],
    ['/id/connect/revocation', 'revocation'],
    ['/id/connect/par', 'par'],
    ['/id/interaction/abc123', 'interaction'],
    ['/id/interaction/abc123/login', 'interaction'],
    ['/sys/auto-discovery', 'auto-discovery'],
  ])('labels public %s as %s', (url, label) => {
    expect(routeLabel('public', url)).toBe(label);
  });

  it.each([
    '/',
    '/id',
    '/id/connect/token/extra',
    '/id/connect/authorize/uid/more',
    '/id/.well-known/openid-configuration/other',
    '/favicon.ico',
    '/ID/CONNECT/TOKEN',
    `/id/${'x'.repeat(5000)}`,
    // Operations and admin paths are not public routes.
    '/healthz',
    '/metrics',
    '/admin/v1/instances',
  ])('labels anything else on the public listener as other: %s', (url) => {
    expect(routeLabel('public', url)).toBe('other');
  });

  it.each([
    ['/admin', 'admin'],
    ['/admin/v1/instances/acme/clients', 'admin'],
    ['/healthz', 'health'],
    ['/readyz?verbose=1', 'health'],
    ['/metrics', 'metrics'],
    ['/administrator', 'other'],
    ['/id/connect/token', 'other'],
    ['/sys/auto-discovery', 'other'],
  ])('labels admin %s as %s', (url, label) => {
    expect(routeLabel('admin', url)).toBe(label);
  });

  it('labels a request of no known listener as other', () => {
    expect(routeLabel(undefined, '/id/connect/token')).toBe('other');
    expect(routeLabel('public', undefined)).toBe('other');
  });
});

describe('pathOf', () => {
  it('drops the query string and the fragment, which carry codes and tokens', () => {
    expect(pathOf('/id/connect/authorize?code=abc&state=x')).toBe('/id/connect/authorize');
    expect(pathOf('/cb#access_token=abc')).toBe('/cb');
    expect(pathOf('/a?b#c')).toBe('/a');
    expect(pathOf('/plain')).toBe('/plain');
    expect(pathOf(undefined)).toBe('/');
  });
});
