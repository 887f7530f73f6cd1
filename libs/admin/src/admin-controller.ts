import { applyDecorators, Controller, UseFilters, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminExceptionFilter } from './admin-exception.filter';
import { AdminRateLimitGuard } from './admin-rate-limit.guard';

/**
 * An admin API controller at `/admin/v1/<path>`: every route is limited per client address, then
 * needs an admin token, and answers errors as `{"error","message","details"?}`. `tag` groups its
 * routes in the OpenAPI document.
 */
export function AdminController(path: string, tag: string): ClassDecorator {
  return applyDecorators(
    Controller(`admin/v1/${path}`),
    ApiTags(tag),
    UseGuards(AdminRateLimitGuard, AdminAuthGuard),
    UseFilters(AdminExceptionFilter),
  );
}
