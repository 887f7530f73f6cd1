import { Injectable } from '@nestjs/common';
import type { AuditObserver, AuditSource } from '@erp-id/audit';
import { recordAuditWriteFailure } from './gateway-metrics';

/** Counts audit events that could not be written, so an alert can notice a silent gap. */
@Injectable()
export class AuditMetricsObserver implements AuditObserver {
  writeFailed(source: AuditSource): void {
    recordAuditWriteFailure(source);
  }
}
