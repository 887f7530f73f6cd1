import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AuditEventEntity } from '@erp-id/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { sanitizeDetails } from './audit-details';
import type { AuditEventInput } from './audit-event';
import { AUDIT_OBSERVER, type AuditObserver, type AuditSource } from './audit-observer';

const MAX_ACTOR = 200;
const MAX_TARGET_ID = 200;

const clip = (value: string, max: number): string => (value.length > max ? value.slice(0, max) : value);

/**
 * Writes audit events. Recording never fails the action it records: a failed write is logged and
 * counted, and the caller goes on (a sign-in must not break because the audit table is unhappy).
 */
@Injectable()
export class AuditRecorder {
  private readonly logger = new Logger('Audit');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Optional() @Inject(AUDIT_OBSERVER) private readonly observer?: AuditObserver,
  ) {}

  /** Resolves once the event is written, or once its failure is logged; never rejects. */
  async record(event: AuditEventInput, source: AuditSource): Promise<void> {
    try {
      const { details, dropped } = sanitizeDetails(event.details);
      if (dropped.length) {
        // A caller tried to record secret-looking fields: a bug to fix, named without the values.
        this.logger.warn(`audit ${event.action}: dropped details ${dropped.join(', ')}`);
      }
      const row = Object.assign(new AuditEventEntity(), {
        id: randomUUID(),
        instanceId: event.instanceId,
        occurredAt: new Date(),
        actor: clip(event.actor, MAX_ACTOR),
        action: event.action,
        targetType: event.target?.type ?? null,
        targetId: event.target ? clip(event.target.id, MAX_TARGET_ID) : null,
        sourceAddress: event.sourceAddress ?? null,
        details,
      });
      // insert, not save: one statement, no read of the row first.
      await this.dataSource
        .getRepository(AuditEventEntity)
        .insert(row as QueryDeepPartialEntity<AuditEventEntity>);
    } catch (err) {
      this.logger.error(`audit ${event.action} could not be written: ${(err as Error).message}`);
      try {
        this.observer?.writeFailed(source);
      } catch {
        // A metric is not worth more than the log line above.
      }
    }
  }

  /**
   * Fleet-level events (an instance created or deleted) as a structured log line too: a deleted
   * instance's own audit rows go with it, so this line is what remains of its deletion.
   */
  fleet(event: Omit<AuditEventInput, 'instanceId'> & { instance: string }): void {
    const { details } = sanitizeDetails(event.details);
    this.logger.log({
      msg: `audit ${event.action} ${event.instance} by ${event.actor}`,
      audit: {
        action: event.action,
        instance: event.instance,
        actor: event.actor,
        target: event.target ?? null,
        sourceAddress: event.sourceAddress ?? null,
        details,
      },
    });
  }
}
