import { deriveAudit, routeTemplate, singular } from './audit-route';

describe('audit actions derived from admin routes', () => {
  it.each([
    ['POST', 'admin/v1/instances', 'instance.created', 'instance', null, false],
    ['PATCH', 'admin/v1/instances/:name', 'instance.updated', 'instance', 'name', true],
    ['DELETE', 'admin/v1/instances/:name', 'instance.deleted', 'instance', 'name', true],
    ['POST', 'admin/v1/instances/:name/clients', 'client.created', 'client', null, true],
    ['PATCH', 'admin/v1/instances/:name/clients/:clientId', 'client.updated', 'client', 'clientId', true],
    ['DELETE', 'admin/v1/instances/:name/users/:id', 'user.deleted', 'user', 'id', true],
    ['PUT', 'admin/v1/instances/:name/policies', 'policy.updated', 'policy', null, true],
    [
      'POST',
      'admin/v1/instances/:name/clients/:clientId/secret',
      'client.secret.created',
      'client',
      'clientId',
      true,
    ],
    [
      'POST',
      'admin/v1/instances/:name/service-accounts',
      'service_account.created',
      'service_account',
      null,
      true,
    ],
    ['POST', 'admin/v1/instances/:name/keys/rotate', 'key.rotate.created', 'key', null, true],
  ])('%s %s → %s', (method, template, action, targetType, idParam, instanceParam) => {
    expect(deriveAudit(method, template)).toEqual({ action, targetType, idParam, instanceParam });
  });

  it('leaves reads and routes outside /admin/v1/instances alone', () => {
    expect(deriveAudit('GET', 'admin/v1/instances/:name/clients')).toBeNull();
    expect(deriveAudit('HEAD', 'admin/v1/instances')).toBeNull();
    expect(deriveAudit('POST', 'id/interaction/:uid/login')).toBeNull();
    expect(deriveAudit('POST', 'admin/v1/other')).toBeNull();
  });

  it('joins controller and handler paths into one template', () => {
    expect(routeTemplate('admin/v1/instances/:name/keys', 'rotate')).toBe(
      'admin/v1/instances/:name/keys/rotate',
    );
    expect(routeTemplate('/admin/v1/instances/', '/')).toBe('admin/v1/instances');
  });

  it('makes resource names singular', () => {
    expect(['clients', 'policies', 'users', 'keys', 'access', 'service-accounts'].map(singular)).toEqual([
      'client',
      'policy',
      'user',
      'key',
      'access',
      'service_account',
    ]);
  });
});
