import { Global, Module } from '@nestjs/common';
import { AuditLog } from './audit-log';
import { AuditRecorder } from './audit-recorder';

/** Recording and reading audit events; global, so sign-in, key rotation and the admin API share it. */
@Global()
@Module({ providers: [AuditRecorder, AuditLog], exports: [AuditRecorder, AuditLog] })
export class AuditModule {}
