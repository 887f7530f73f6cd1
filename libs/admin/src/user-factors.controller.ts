import { Delete, HttpCode, Param } from '@nestjs/common';
import { InstancesService } from '@erp-id/instances';
import { FactorsService } from '@erp-id/mfa';
import { AdminController } from './admin-controller';
import { AdminError } from './admin-error';

/** A user's second factors: the hosting provider can only remove them (lost device), never read them. */
@AdminController('instances/:name/users/:id/factors', 'users')
export class UserFactorsController {
  constructor(
    private readonly factors: FactorsService,
    private readonly instances: InstancesService,
  ) {}

  /**
   * Removes the user's factors and recovery codes and ends its sessions; the next sign-in enrolls
   * again where a second factor is required. Idempotent: a user without factors answers 204 too.
   */
  @Delete()
  @HttpCode(204)
  async reset(@Param('name') name: string, @Param('id') id: string): Promise<void> {
    const instance = await this.instances.findRow(name);
    if (!instance) throw AdminError.notFound(`instance ${name} does not exist`);
    const reset = await this.factors.reset(instance, id, 'admin-api');
    if (reset === null) throw AdminError.notFound('user does not exist in this instance');
  }
}
