import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { InstancesService, type InstanceView } from '@erp-id/instances';
import { Audited } from './audited';
import {
  type CreateInstanceDto,
  createInstanceSchema,
  type ListInstancesQuery,
  listInstancesQuerySchema,
  type UpdateInstanceDto,
  updateInstanceSchema,
} from './admin-dtos';
import { instanceNotFound, withInstanceErrors } from './instance-errors';
import { ZodBodyPipe } from './zod-body.pipe';
import { AdminController } from './admin-controller';
import { AdminErrors } from './admin-error-responses';
import { ZodBody, ZodQuery } from './zod-openapi';

export interface InstanceListResponse {
  items: InstanceView[];
  total: number;
  limit: number;
  offset: number;
}

@AdminController('instances', 'instances')
export class InstancesController {
  constructor(private readonly instances: InstancesService) {}

  @Post()
  @Audited('instance.created')
  @ZodBody(createInstanceSchema)
  @AdminErrors(
    [409, 'the name or a custom domain is taken'],
    [422, 'invalid policies: `details` name the field'],
  )
  create(@Body(new ZodBodyPipe(createInstanceSchema)) dto: CreateInstanceDto): Promise<InstanceView> {
    return withInstanceErrors(() => this.instances.create(dto), 'policies');
  }

  @Get()
  @ZodQuery(listInstancesQuerySchema)
  async list(
    // The query is an object like a body; the same pipe names every bad parameter.
    @Query(new ZodBodyPipe(listInstancesQuerySchema)) query: ListInstancesQuery,
  ): Promise<InstanceListResponse> {
    const page = await this.instances.list(query);
    return { ...page, limit: query.limit, offset: query.offset };
  }

  @Get(':name')
  @AdminErrors(404)
  async get(@Param('name') name: string): Promise<InstanceView> {
    const view = await this.instances.get(name);
    if (!view) throw instanceNotFound(name);
    return view;
  }

  /** Any of displayName, sites, customDomains, policies (merged), status; each change bumps the version. */
  @Patch(':name')
  @Audited('instance.updated')
  @ZodBody(updateInstanceSchema)
  @AdminErrors(404, [409, 'a custom domain is taken'], [422, 'invalid policies: `details` name the field'])
  async update(
    @Param('name') name: string,
    @Body(new ZodBodyPipe(updateInstanceSchema)) dto: UpdateInstanceDto,
  ): Promise<InstanceView> {
    const view = await withInstanceErrors(() => this.instances.update(name, dto), 'policies');
    if (!view) throw instanceNotFound(name);
    return view;
  }

  @Delete(':name')
  @Audited('instance.deleted')
  @AdminErrors(404)
  @HttpCode(204)
  async delete(@Param('name') name: string): Promise<void> {
    if (!(await this.instances.delete(name))) throw instanceNotFound(name);
  }
}
