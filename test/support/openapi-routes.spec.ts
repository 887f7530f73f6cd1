import { documentedRoutes, missing, registeredRoutes } from './openapi-routes';

const LOG = [
  '{"level":"info","context":"RouterExplorer","msg":"Mapped {/healthz, GET} route"}',
  '{"level":"info","context":"RouterExplorer","msg":"Mapped {/admin/v1/instances, POST} route"}',
  '{"level":"info","context":"RouterExplorer","msg":"Mapped {/admin/v1/instances/:name/clients/:clientId, PATCH} route"}',
].join('\n');

describe('admin route coverage of the OpenAPI document', () => {
  it('reads the admin routes Nest registered, in OpenAPI spelling', () => {
    expect(registeredRoutes(LOG, '/admin/v1')).toEqual([
      'PATCH /admin/v1/instances/{name}/clients/{clientId}',
      'POST /admin/v1/instances',
    ]);
  });

  it('names a registered route the document lacks', () => {
    const document = { paths: { '/admin/v1/instances': { post: {}, parameters: [] } } };
    expect(documentedRoutes(document)).toEqual(['POST /admin/v1/instances']);
    expect(missing(registeredRoutes(LOG, '/admin/v1'), documentedRoutes(document))).toEqual([
      'PATCH /admin/v1/instances/{name}/clients/{clientId}',
    ]);
  });
});
