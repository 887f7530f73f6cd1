import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ServiceAccountsService,
  type ServiceAccountView,
  type ServiceAccountWithSecret,
} from '@erp-id/accounts';
import { InstancesService } from '@erp-id/instances';
import { AdminError } from './admin-error';
import { type RotateSecretDto, rotateSecretSchema } from './admin-dtos';
import { withClientErrors } from './client-errors';
import { instanceOr404 } from './instance-lookup';
import {
  type CreateServiceAccountDto,
  createServiceAccountSchema,
  type ListServiceAccountsQuery,
  listServiceAccountsQuerySchema,
  type UpdateServiceAccountDto,
  updateServiceAccountSchema,
} from './service-account-dtos';
import { ZodBodyPipe } from './zod-body.pipe';
import { Audited } from './audited';
import { AdminController } from './admin-controller';
import { AdminErrors } from './admin-error-responses';
import { ZodBody, ZodQuery } from './zod-openapi';

export interface ServiceAccountListResponse {
  items: ServiceAccountView[];
  total: number;
  limit: number;
  offset: number;
}

const rotateBody = new ZodBodyPipe(rotateSecretSchema);

/** Service accounts of an instance, each with its client-credentials client; a secret is shown once. */
@AdminController('instances/:name/service-accounts', 'service-accounts')
export class ServiceAccountsController {
  constructor(
    private readonly accounts: ServiceAccountsService,
    private readonly instances: InstancesService,
  ) {}

  @Post()
  @Audited('service_account.created', { targetId: { response: 'id' } })
  @ZodBody(createServiceAccountSchema)
  @AdminErrors(404, [409, 'the name is taken'], [422, 'refused by the instance policy'])
  async create(
    @Param('name') name: string,
    @Body(new ZodBodyPipe(createServiceAccountSchema)) dto: CreateServiceAccountDto,
  ): Promise<ServiceAccountWithSecret> {
    const instance = await instanceOr404(this.instances, name);
    return withClientErrors(() => this.accounts.create(instance, dto));
  }

  @Get()
  @ZodQuery(listServiceAccountsQuerySchema)
  @AdminErrors(404)
  async list(
    @Param('name') name: string,
    // The query is an object like a body; the same pipe names every bad parameter.
    @Query(new ZodBodyPipe(listServiceAccountsQuerySchema)) query: ListServiceAccountsQuery,
  ): Promise<ServiceAccountListResponse> {
    const instance = await instanceOr404(this.instances, name);
    const page = await this.accounts.list(instance.id, query);
    return { ...page, limit: query.limit, offset: query.offset };
  }

  @Get(':id')
  @AdminErrors(404)
  async get(@Param('name') name: string, @Param('id') id: string): Promise<ServiceAccountView> {
    const instance = await instanceOr404(this.instances, name);
    return accountOr404(await this.accounts.get(instance.id, id));
  }

  /** description, scopes, status; disabling refuses the account's next token request on every replica. */
  @Patch(':id')
  @Audited('service_account.updated')
  @ZodBody(updateServiceAccountSchema)
  @AdminErrors(404, [422, 'refused by the instance policy'])
  async update(
    @Param('name') name: string,
    @Param('id') id: string,
    @Body(new ZodBodyPipe(updateServiceAccountSchema)) dto: UpdateServiceAccountDto,
  ): Promise<ServiceAccountView> {
    const instance = await instanceOr404(this.instances, name);
    return accountOr404(await withClientErrors(() => this.accounts.update(instance, id, dto)));
  }

  /** 204; removes the account's client with it. */
  @Delete(':id')
  @Audited('service_account.deleted')
  @AdminErrors(404)
  @HttpCode(204)
  async delete(@Param('name') name: string, @Param('id') id: string): Promise<void> {
    const instance = await instanceOr404(this.instances, name);
    if (!(await this.accounts.delete(instance, id))) throw accountNotFound();
  }

  @Post(':id/secret')
  @Audited('service_account.secret.rotated')
  @ZodBody(rotateSecretSchema, { optional: true })
  @AdminErrors(404)
  @HttpCode(200)
  async rotateSecret(
    @Param('name') name: string,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<ServiceAccountWithSecret> {
    const dto: RotateSecretDto = body === undefined ? { gracePeriodSeconds: 0 } : rotateBody.transform(body);
    const instance = await instanceOr404(this.instances, name);
    return accountOr404(
      await withClientErrors(() => this.accounts.rotateSecret(instance, id, dto.gracePeriodSeconds)),
    );
  }
}

function accountOr404<T>(value: T | null): T {
  if (value === null) throw accountNotFound();
  return value;
}

// Not echoing the id: it is whatever the caller put in the path.
function accountNotFound(): AdminError {
  return AdminError.notFound('service account does not exist in this instance');
}
