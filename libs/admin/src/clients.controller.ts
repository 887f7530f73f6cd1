import { Body, Controller, Get, Param, Post, UseFilters, UseGuards } from '@nestjs/common';
import { ClientConflict, ClientRuleViolation, ClientsService, type ClientView } from '@erp-id/accounts';
import { InstancesService } from '@erp-id/instances';
import type { InstanceEntity } from '@erp-id/persistence';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminError } from './admin-error';
import { AdminExceptionFilter } from './admin-exception.filter';
import { Audited } from './audited';
import { type CreateClientDto, createClientSchema } from './admin-dtos';
import { ZodBodyPipe } from './zod-body.pipe';

export type CreatedClientResponse = ClientView & { clientSecret: string | null };

@Controller('admin/v1/instances/:name/clients')
@UseGuards(AdminAuthGuard)
@UseFilters(AdminExceptionFilter)
export class ClientsController {
  constructor(
    private readonly clients: ClientsService,
    private readonly instances: InstancesService,
  ) {}

  @Post()
  @Audited('client.created', { targetId: { response: 'clientId' } })
  async create(
    @Param('name') name: string,
    @Body(new ZodBodyPipe(createClientSchema)) dto: CreateClientDto,
  ): Promise<CreatedClientResponse> {
    const instance = await this.instanceOr404(name);
    try {
      const created = await this.clients.create(instance, dto);
      return { ...created.client, clientSecret: created.clientSecret };
    } catch (err) {
      if (err instanceof ClientRuleViolation) {
        throw AdminError.badRequest(err.message, [{ field: err.field, message: err.message }]);
      }
      if (err instanceof ClientConflict) throw AdminError.conflict(err.message);
      throw err;
    }
  }

  @Get()
  async list(@Param('name') name: string): Promise<{ items: ClientView[] }> {
    const instance = await this.instanceOr404(name);
    return { items: await this.clients.list(instance.id) };
  }

  private async instanceOr404(name: string): Promise<InstanceEntity> {
    const row = await this.instances.findRow(name);
    if (!row) throw AdminError.notFound(`instance ${name} does not exist`);
    return row;
  }
}
