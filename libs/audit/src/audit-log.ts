import { Inject, Injectable } from '@nestjs/common';
import { AuditEventEntity } from '@erp-id/persistence';
import { DataSource } from 'typeorm';
import { type AuditCursor, encodeAuditCursor } from './audit-cursor';
import type { AuditEventView } from './audit-event';

export interface AuditPageQuery {
  limit: number;
  before?: AuditCursor;
  /** Only actions starting with this (`client.`, `sign_in.failed`). */
  actionPrefix?: string;
}

export interface AuditPage {
  items: AuditEventView[];
  /** Cursor of the next (older) page; null on the last page. */
  next: string | null;
}

export function toAuditEventView(row: AuditEventEntity): AuditEventView {
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    actor: row.actor,
    action: row.action,
    target:
      row.targetType !== null && row.targetId !== null ? { type: row.targetType, id: row.targetId } : null,
    sourceAddress: row.sourceAddress,
    details: row.details,
  };
}

/** Reads an instance's audit trail, newest first, a keyset page at a time. */
@Injectable()
export class AuditLog {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async page(instanceId: string, query: AuditPageQuery): Promise<AuditPage> {
    const qb = this.dataSource
      .getRepository(AuditEventEntity)
      .createQueryBuilder('e')
      .where('e.instanceId = :instanceId', { instanceId });
    if (query.before) {
      // A row comparison, which the (instance_id, occurred_at desc, id desc) index answers directly.
      qb.andWhere('(e.occurredAt, e.id) < (:at, :id)', { at: query.before.occurredAt, id: query.before.id });
    }
    if (query.actionPrefix) qb.andWhere('starts_with(e.action, :prefix)', { prefix: query.actionPrefix });
    // One more than asked: whether it exists says whether there is a next page.
    const rows = await qb
      .orderBy('e.occurredAt', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(query.limit + 1)
      .getMany();
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toAuditEventView),
      next:
        rows.length > query.limit && last
          ? encodeAuditCursor({ occurredAt: last.occurredAt, id: last.id })
          : null,
    };
  }
}
