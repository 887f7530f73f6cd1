import { Get, Param, Query } from '@nestjs/common';
import { AuditLog, type AuditPage } from '@erp-id/audit';
import { InstancesService } from '@erp-id/instances';
import { type ListAuditQuery, listAuditQuerySchema } from './audit-dtos';
import { instanceNotFound } from './instance-errors';
import { ZodBodyPipe } from './zod-body.pipe';
import { AdminController } from './admin-controller';
import { AdminErrors } from './admin-error-responses';
import { ZodQuery } from './zod-openapi';

/** An instance's audit trail, newest first, a keyset page at a time. */
@AdminController('instances/:name/audit', 'audit')
export class AuditController {
  constructor(
    private readonly audit: AuditLog,
    private readonly instances: InstancesService,
  ) {}

  @Get()
  @ZodQuery(listAuditQuerySchema)
  @AdminErrors(404)
  async list(
    @Param('name') name: string,
    // The query is an object like a body; the same pipe names every bad parameter.
    @Query(new ZodBodyPipe(listAuditQuerySchema)) query: ListAuditQuery,
  ): Promise<AuditPage> {
    const instance = await this.instances.findRow(name);
    if (!instance) throw instanceNotFound(name);
    return this.audit.page(instance.id, {
      limit: query.limit,
      before: query.before,
      actionPrefix: query.action,
    });
  }
}
