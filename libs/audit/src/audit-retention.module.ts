import { Module } from '@nestjs/common';
import { AuditRetentionJob } from './audit-retention.job';

/** The pruning schedule, for the gateway only (the CLI records events but runs no schedule). */
@Module({ providers: [AuditRetentionJob], exports: [AuditRetentionJob] })
export class AuditRetentionModule {}
