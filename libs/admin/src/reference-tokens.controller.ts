import { Body, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  type IssuedReferenceToken,
  ReferenceTokenRefused,
  ReferenceTokenRuleViolation,
  ReferenceTokensService,
  type ReferenceTokenView,
} from '@erp-id/accounts';
import type { ReferenceTokenApi } from '@erp-id/persistence';
import { InstancesService } from '@erp-id/instances';
import { AdminController } from './admin-controller';
import { AdminError } from './admin-error';
import { Audited } from './audited';
import { instanceOr404 } from './instance-lookup';
import {
  type IssueReferenceTokenDto,
  issueReferenceTokenSchema,
  type ListReferenceTokensQuery,
  listReferenceTokensQuerySchema,
} from './reference-token-dtos';
import { ZodBodyPipe } from './zod-body.pipe';

export interface ReferenceTokenListResponse {
  items: ReferenceTokenView[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * Personal (internal users) and service (service accounts) access tokens of an instance. The token
 * is shown once, in the issue response; lists never carry it or its hash. Revoking deletes it: the
 * next introspection on any replica says `{"active": false}`.
 */
@AdminController('instances/:name/reference-tokens', 'reference-tokens')
export class ReferenceTokensController {
  constructor(
    private readonly tokens: ReferenceTokensService,
    private readonly instances: InstancesService,
  ) {}

  @Post()
  @Audited('reference_token.issued', { targetId: { response: 'id' } })
  async issue(
    @Param('name') name: string,
    @Body(new ZodBodyPipe(issueReferenceTokenSchema)) dto: IssueReferenceTokenDto,
  ): Promise<IssuedReferenceToken> {
    const instance = await instanceOr404(this.instances, name);
    try {
      return await this.tokens.issue(instance.id, {
        ...dto,
        apis: dto.apis as ReferenceTokenApi[] | undefined,
      });
    } catch (err) {
      if (err instanceof ReferenceTokenRuleViolation) {
        throw AdminError.badRequest(err.message, [{ field: err.field, message: err.message }]);
      }
      if (err instanceof ReferenceTokenRefused) {
        throw new AdminError(HttpStatus.UNPROCESSABLE_ENTITY, 'subject_refused', err.message, [
          { field: err.field, message: err.message },
        ]);
      }
      throw err;
    }
  }

  @Get()
  async list(
    @Param('name') name: string,
    @Query(new ZodBodyPipe(listReferenceTokensQuerySchema)) query: ListReferenceTokensQuery,
  ): Promise<ReferenceTokenListResponse> {
    const instance = await instanceOr404(this.instances, name);
    const page = await this.tokens.list(instance.id, query);
    return { ...page, limit: query.limit, offset: query.offset };
  }

  @Get(':id')
  async get(@Param('name') name: string, @Param('id') id: string): Promise<ReferenceTokenView> {
    const instance = await instanceOr404(this.instances, name);
    const view = await this.tokens.get(instance.id, id);
    if (!view) throw tokenNotFound();
    return view;
  }

  /** 204; effective on every replica at the next introspection. */
  @Delete(':id')
  @Audited('reference_token.revoked')
  @HttpCode(204)
  async revoke(@Param('name') name: string, @Param('id') id: string): Promise<void> {
    const instance = await instanceOr404(this.instances, name);
    if (!(await this.tokens.revoke(instance.id, id))) throw tokenNotFound();
  }
}

function tokenNotFound(): AdminError {
  return AdminError.notFound('reference token does not exist in this instance');
}
