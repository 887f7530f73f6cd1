import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseFilters, UseGuards } from '@nestjs/common';
import {
  InstanceConflict,
  InstanceNameRejected,
  InstancesService,
  type InstanceView,
} from '@erp-id/instances';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminError } from './admin-error';
import { AdminExceptionFilter } from './admin-exception.filter';
import { type CreateInstanceDto, createInstanceSchema } from './admin-dtos';
import { ZodBodyPipe } from './zod-body.pipe';

@Controller('admin/v1/instances')
@UseGuards(AdminAuthGuard)
@UseFilters(AdminExceptionFilter)
export class InstancesController {
  constructor(private readonly instances: InstancesService) {}

  @Post()
  async create(@Body(new ZodBodyPipe(createInstanceSchema)) dto: CreateInstanceDto): Promise<InstanceView> {
    try {
      return await this.instances.create(dto);
    } catch (err) {
      if (err instanceof InstanceNameRejected)
        throw AdminError.badRequest(err.message, [{ field: 'name', message: err.message }]);
      if (err instanceof InstanceConflict) throw AdminError.conflict(err.message);
      throw err;
    }
  }

  @Get(':name')
  async get(@Param('name') name: string): Promise<InstanceView> {
    const view = await this.instances.get(name);
    if (!view) throw AdminError.notFound(`instance ${name} does not exist`);
    return view;
  }

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param('name') name: string): Promise<void> {
    if (!(await this.instances.delete(name))) throw AdminError.notFound(`instance ${name} does not exist`);
  }
}
