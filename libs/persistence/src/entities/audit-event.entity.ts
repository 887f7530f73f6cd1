import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { InstanceEntity } from './instance.entity';

/**
 * One recorded action on an instance: an admin change, a sign-in, a scheduled job's work. Indexes
 * (page order, retention) are in the migration.
 */
@Entity({ name: 'audit_events' })
export class AuditEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'instance_id', type: 'uuid' })
  instanceId!: string;

  // Deleting an instance deletes its audit trail with it.
  @ManyToOne(() => InstanceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'instance_id' })
  instance?: InstanceEntity;

  /** Millisecond precision (set by the gateway), so a page cursor holds it exactly. */
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  /** An admin token's name, a user (id or attempted username), or `system`. */
  @Column({ type: 'varchar', length: 200 })
  actor!: string;

  /** `<subject>.<verb>`, e.g. `client.updated`, `sign_in.failed`. */
  @Column({ type: 'varchar', length: 100 })
  action!: string;

  @Column({ name: 'target_type', type: 'varchar', length: 50, nullable: true })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'varchar', length: 200, nullable: true })
  targetId!: string | null;

  @Column({ name: 'source_address', type: 'varchar', length: 45, nullable: true })
  sourceAddress!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;
}
