import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { InstanceEntity } from './instance.entity';
import { InstanceRow } from './instance-row';

export type ServiceAccountStatus = 'active' | 'disabled';

/**
 * A non-human caller of the instance's APIs. It authenticates through its own confidential
 * client-credentials client (a `clients` row pointing back here), which is removed with it.
 */
@Entity({ name: 'service_accounts' })
@Index(['instanceId', 'name'], { unique: true })
export class ServiceAccountEntity extends InstanceRow {
  @ManyToOne(() => InstanceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'instance_id' })
  instance?: InstanceEntity;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  description!: string | null;

  /** API scopes its tokens carry. */
  @Column({ type: 'jsonb' })
  scopes!: string[];

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: ServiceAccountStatus;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
