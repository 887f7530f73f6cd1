import { Body, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import {
  PasswordPolicyViolation,
  UserConflict,
  UserRuleViolation,
  UsersService,
  type UserDetails,
  type UserView,
} from '@erp-id/accounts';
import { InstancesService } from '@erp-id/instances';
import type { InstanceEntity } from '@erp-id/persistence';
import { AdminError } from './admin-error';
import { Audited } from './audited';
import {
  type CreateUserDto,
  type ListUsersQuery,
  type UpdateUserDto,
  createUserSchema,
  listUsersQuerySchema,
  updateUserSchema,
} from './user-dtos';
import { ZodBodyPipe } from './zod-body.pipe';
import { AdminController } from './admin-controller';
import { AdminErrors } from './admin-error-responses';
import { ZodBody, ZodQuery } from './zod-openapi';

export interface UserListResponse {
  items: UserView[];
  total: number;
  limit: number;
  offset: number;
}

/** Users of an instance. Responses never carry a password or its hash. */
@AdminController('instances/:name/users', 'users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly instances: InstancesService,
  ) {}

  @Post()
  @Audited('user.created')
  @ZodBody(createUserSchema)
  @AdminErrors(
    404,
    [409, 'the username is taken'],
    [422, 'the password breaks the instance’s password rules'],
  )
  async create(
    @Param('name') name: string,
    @Body(new ZodBodyPipe(createUserSchema)) dto: CreateUserDto,
  ): Promise<UserView> {
    const instance = await this.instanceOr404(name);
    return withUserErrors(() => this.users.create(instance, dto));
  }

  @Get()
  @ZodQuery(listUsersQuerySchema)
  @AdminErrors(404)
  async list(
    @Param('name') name: string,
    // The query is an object like a body; the same pipe names every bad parameter.
    @Query(new ZodBodyPipe(listUsersQuerySchema)) query: ListUsersQuery,
  ): Promise<UserListResponse> {
    const instance = await this.instanceOr404(name);
    const page = await this.users.list(instance.id, query);
    return { ...page, limit: query.limit, offset: query.offset };
  }

  @Get(':id')
  @AdminErrors(404)
  async get(@Param('name') name: string, @Param('id') id: string): Promise<UserDetails> {
    const instance = await this.instanceOr404(name);
    return userOr404(await this.users.getDetails(instance, id));
  }

  @Patch(':id')
  @Audited('user.updated')
  @ZodBody(updateUserSchema)
  @AdminErrors(404, [422, 'the password breaks the instance’s password rules'])
  async update(
    @Param('name') name: string,
    @Param('id') id: string,
    @Body(new ZodBodyPipe(updateUserSchema)) dto: UpdateUserDto,
  ): Promise<UserDetails> {
    const instance = await this.instanceOr404(name);
    return userOr404(await withUserErrors(() => this.users.update(instance, id, dto)));
  }

  @Delete(':id')
  @Audited('user.deleted')
  @AdminErrors(404)
  @HttpCode(204)
  async delete(@Param('name') name: string, @Param('id') id: string): Promise<void> {
    const instance = await this.instanceOr404(name);
    if (!(await this.users.delete(instance, id))) throw userNotFound();
  }

  private async instanceOr404(name: string): Promise<InstanceEntity> {
    const row = await this.instances.findRow(name);
    if (!row) throw AdminError.notFound(`instance ${name} does not exist`);
    return row;
  }
}

/** The service's own checks (they also guard the CLI) answer like the schema's. */
async function withUserErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UserRuleViolation) {
      throw AdminError.badRequest(err.message, [{ field: err.field, message: err.message }]);
    }
    if (err instanceof PasswordPolicyViolation) {
      // 422: a well-formed password the instance's own rules refuse; the rule is named, the password never.
      throw new AdminError(HttpStatus.UNPROCESSABLE_ENTITY, 'password_policy', err.message, [
        { field: err.field, message: err.message, rule: err.rule },
      ]);
    }
    if (err instanceof UserConflict) throw AdminError.conflict(err.message);
    throw err;
  }
}

function userOr404<T>(user: T | null): T {
  if (user === null) throw userNotFound();
  return user;
}

// Not echoing the id: it is whatever the caller put in the path (a uuid of another instance, too).
function userNotFound(): AdminError {
  return AdminError.notFound('user does not exist in this instance');
}
