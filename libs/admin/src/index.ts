export { AdminModule } from './admin.module';
export { AdminError } from './admin-error';
export type { AdminErrorBody } from './admin-error';
export { AdminExceptionFilter } from './admin-exception.filter';
export { Audited } from './audited';
export type { AuditedRoute, AuditTargetId } from './audited';
export { ADMIN_API_PREFIX, createAdminOpenApiDocument } from './admin-openapi';
