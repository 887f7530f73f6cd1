import { randomUUID } from 'node:crypto';
import {
  BeforeInsert,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { InstanceEntity } from './instance.entity';

export type ServiceAccountStatus = 'active' | 'disabled';

/**
 * A non-human caller of the instance's APIs. It authenticates through its own confidential
 * client-credentials client (a `clients` row pointing back here), which is removed with it.
 */
@Entity({ name: 'service_accounts' })
@Index(['instanceId', 'name'], { unique: true })
export class ServiceAccountEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  // Ids are made here, not by the database: PGlite has no uuid extension and the id is needed before insert.
  @BeforeInsert()
  protected assignId(): void {
    this.id ??= randomUUID();
  }

  @Column({ name: 'instance_id', type: 'uuid' })
  instanceId!: string;

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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
