import { Body, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ClientsService, type ClientView } from '@erp-id/accounts';
import { InstancesService } from '@erp-id/instances';
import { AdminError } from './admin-error';
import { Audited } from './audited';
import {
  type CreateClientDto,
  createClientSchema,
  type RotateSecretDto,
  rotateSecretSchema,
  type UpdateClientDto,
  updateClientSchema,
} from './admin-dtos';
import { withClientErrors } from './client-errors';
import { instanceOr404 } from './instance-lookup';
import { ZodBodyPipe } from './zod-body.pipe';
import { AdminController } from './admin-controller';
import { AdminErrors } from './admin-error-responses';
import { ZodBody } from './zod-openapi';

export type CreatedClientResponse = ClientView & { clientSecret: string | null };
export type RotatedSecretResponse = ClientView & { clientSecret: string };

const rotateBody = new ZodBodyPipe(rotateSecretSchema);

/**
 * OAuth clients of an instance. Responses never carry a stored secret or its hash; a secret is shown
 * once, when it is made. A service account's client is shown here but changed through the account.
 */
@AdminController('instances/:name/clients', 'clients')
export class ClientsController {
  constructor(
    private readonly clients: ClientsService,
    private readonly instances: InstancesService,
  ) {}

  @Post()
  @Audited('client.created', { targetId: { response: 'clientId' } })
  @ZodBody(createClientSchema)
  @AdminErrors(404, [409, 'the client id is taken'], [422, 'refused by the instance policy'])
  async create(
    @Param('name') name: string,
    @Body(new ZodBodyPipe(createClientSchema)) dto: CreateClientDto,
  ): Promise<CreatedClientResponse> {
    const instance = await instanceOr404(this.instances, name);
    const created = await withClientErrors(() => this.clients.create(instance, dto));
    return { ...created.client, clientSecret: created.clientSecret };
  }

  @Get()
  @AdminErrors(404)
  async list(@Param('name') name: string): Promise<{ items: ClientView[] }> {
    const instance = await instanceOr404(this.instances, name);
    return { items: await this.clients.list(instance.id) };
  }

  @Get(':clientId')
  @AdminErrors(404)
  async get(@Param('name') name: string, @Param('clientId') clientId: string): Promise<ClientView> {
    const instance = await instanceOr404(this.instances, name);
    return clientOr404(await this.clients.get(instance.id, clientId), clientId);
  }

  /** Any mutable field, checked by the same rules (400) and instance policy (422) as a new client. */
  @Patch(':clientId')
  @Audited('client.updated')
  @ZodBody(updateClientSchema)
  @AdminErrors(404, [409, 'a service account’s client'], [422, 'refused by the instance policy'])
  async update(
    @Param('name') name: string,
    @Param('clientId') clientId: string,
    @Body(new ZodBodyPipe(updateClientSchema)) dto: UpdateClientDto,
  ): Promise<ClientView> {
    const instance = await instanceOr404(this.instances, name);
    return clientOr404(await withClientErrors(() => this.clients.update(instance, clientId, dto)), clientId);
  }

  /** 204; the client's tokens, grants and sessions stop working on every replica. */
  @Delete(':clientId')
  @Audited('client.deleted')
  @AdminErrors(404, [409, 'a service account’s client'])
  @HttpCode(204)
  async delete(@Param('name') name: string, @Param('clientId') clientId: string): Promise<void> {
    const instance = await instanceOr404(this.instances, name);
    if (!(await withClientErrors(() => this.clients.delete(instance, clientId))))
      throw clientNotFound(clientId);
  }

  /** 200 with a new secret, shown once; `gracePeriodSeconds` keeps the replaced one working that long. */
  @Post(':clientId/secret')
  @Audited('client.secret.rotated')
  @ZodBody(rotateSecretSchema, { optional: true })
  @AdminErrors(404, [409, 'a public client, or a service account’s client'])
  @HttpCode(200)
  async rotateSecret(
    @Param('name') name: string,
    @Param('clientId') clientId: string,
    @Body() body: unknown,
  ): Promise<RotatedSecretResponse> {
    // No body at all means no grace period; a body must be valid (the admin body parser leaves it unset).
    const dto: RotateSecretDto = body === undefined ? { gracePeriodSeconds: 0 } : rotateBody.transform(body);
    const instance = await instanceOr404(this.instances, name);
    const rotated = await withClientErrors(() =>
      this.clients.rotateSecret(instance, clientId, dto.gracePeriodSeconds),
    );
    const { client, clientSecret } = clientOr404(rotated, clientId);
    return { ...client, clientSecret };
  }
}

function clientOr404<T>(value: T | null, clientId: string): T {
  if (value === null) throw clientNotFound(clientId);
  return value;
}

function clientNotFound(clientId: string): AdminError {
  return AdminError.notFound(`client ${clientId} does not exist in this instance`);
}
