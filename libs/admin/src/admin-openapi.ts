import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import {
  ADMIN_ERROR_SCHEMA,
  ADMIN_ERROR_SCHEMA_NAME,
  adminErrorResponse,
  restoreSuccessResponses,
} from './admin-error-responses';

/** Where the admin API lives; the document lists every route under it and nothing else. */
export const ADMIN_API_PREFIX = '/admin/v1';
/** The bearer security scheme of the document, required by every operation. */
export const ADMIN_SECURITY_SCHEME = 'adminToken';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function builderConfig(): Omit<OpenAPIObject, 'paths'> {
  const config = new DocumentBuilder()
    .setTitle('Identity gateway admin API')
    .setDescription(
      'Administration of the identity gateway: instances and their policies, clients, users, service ' +
        'accounts, signing keys and the audit log. Served on the admin listener only. Every request needs ' +
        '`Authorization: Bearer <admin token>`; every error is JSON `{"error","message","details"?}`.',
    )
    .setVersion('v1')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'an admin API token (ADMIN_API_TOKEN_HASHES)' },
      ADMIN_SECURITY_SCHEME,
    )
    .addSecurityRequirements(ADMIN_SECURITY_SCHEME)
    .addTag('instances', 'create, configure, suspend and delete ERP instances')
    .addTag('policies', 'an instance’s effective policies and changes to them')
    .addTag('clients', 'OAuth clients of an instance; a secret is shown once')
    .addTag('service-accounts', 'service accounts and their client-credentials clients')
    .addTag('users', 'users of an instance; never a password or its hash')
    .addTag('keys', 'an instance’s signing keys: list, rotate, publish the next one')
    .addTag('key-encryption', 'sealing of key material under the key-encryption key')
    .addTag('audit', 'an instance’s audit trail')
    .build();
  config.components = {
    ...config.components,
    schemas: { ...config.components?.schemas, [ADMIN_ERROR_SCHEMA_NAME]: ADMIN_ERROR_SCHEMA },
  };
  return config;
}

/**
 * The OpenAPI document of the admin API, generated from the application's controllers, so a new admin
 * route is listed without anyone remembering to. Routes of the public listener are left out.
 */
export function createAdminOpenApiDocument(app: INestApplication): OpenAPIObject {
  restoreSuccessResponses();
  const document = SwaggerModule.createDocument(app, builderConfig(), {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  const paths: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(document.paths)) {
    if (path !== ADMIN_API_PREFIX && !path.startsWith(`${ADMIN_API_PREFIX}/`)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      // Every admin route is behind the rate limit and token guards; added here so no controller has to say so.
      if (operation)
        operation.responses = {
          ...operation.responses,
          401: adminErrorResponse(401),
          429: adminErrorResponse(429),
        };
    }
    paths[path] = item;
  }
  return { ...document, paths };
}
