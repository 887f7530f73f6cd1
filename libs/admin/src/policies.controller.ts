import { Body, Get, Param, Patch } from '@nestjs/common';
import { InstancesService } from '@erp-id/instances';
import type { InstancePolicies } from '@erp-id/policies';
import { Audited } from './audited';
import { instanceNotFound, withInstanceErrors } from './instance-errors';
import { type PolicyPatchDto, policyPatchSchema } from './policies-dtos';
import { ZodBodyPipe } from './zod-body.pipe';
import { AdminController } from './admin-controller';
import { AdminErrors } from './admin-error-responses';
import { ZodBody } from './zod-openapi';

/** An instance's policies on their own: the effective document, and changes to it. */
@AdminController('instances/:name/policies', 'policies')
export class PoliciesController {
  constructor(private readonly instances: InstancesService) {}

  /** Effective policies: what is set, and the default of everything else. */
  @Get()
  @AdminErrors(404)
  async get(@Param('name') name: string): Promise<InstancePolicies> {
    const policies = await this.instances.policies(name);
    if (!policies) throw instanceNotFound(name);
    return policies;
  }

  /** The body is a partial policy document, merged (JSON Merge Patch: null resets a field to its default). */
  @Patch()
  @Audited('policies.updated', { target: 'instance', targetId: { param: 'name' } })
  @ZodBody(policyPatchSchema)
  @AdminErrors(404, [422, 'invalid policies: `details` name the field'])
  async update(
    @Param('name') name: string,
    @Body(new ZodBodyPipe(policyPatchSchema)) patch: PolicyPatchDto,
  ): Promise<InstancePolicies> {
    const view = await withInstanceErrors(() => this.instances.update(name, { policies: patch }), '');
    if (!view) throw instanceNotFound(name);
    return view.policies;
  }
}
