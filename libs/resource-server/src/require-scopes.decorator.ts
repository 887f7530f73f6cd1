import { SetMetadata } from '@nestjs/common';

export const REQUIRED_SCOPES = 'erp-resource-server:required-scopes';

/**
 * Every listed scope must be in the token (on a controller and a handler, both lists apply).
 * Checked by ErpAuthGuard after the token was accepted: a missing scope is 403 `insufficient_scope`.
 */
export const RequireScopes = (...scopes: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_SCOPES, scopes);
