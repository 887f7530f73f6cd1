import { BadRequestException, Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { CurrentPrincipal, ErpAuthGuard, type Principal, RequireScopes } from '@erp-id/resource-server';
import { type Item, ItemStore } from './item-store';

const MAX_NAME_LENGTH = 200;

/** The example Domain API: reading needs `read`, writing needs `update`, `me` needs a valid token. */
@Controller('api/domain')
@UseGuards(ErpAuthGuard)
export class ItemsController {
  constructor(private readonly items: ItemStore) {}

  @Get('items')
  @RequireScopes('read')
  list(): { items: readonly Item[] } {
    return { items: this.items.list() };
  }

  @Post('items')
  @HttpCode(201)
  @RequireScopes('update')
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal): Item {
    const name = (body as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string' || !name.trim() || name.length > MAX_NAME_LENGTH) {
      throw new BadRequestException({
        error: 'invalid_request',
        message: `name must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`,
        details: [{ field: 'name' }],
      });
    }
    return this.items.add(name.trim(), principal.subject);
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}
