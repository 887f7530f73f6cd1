import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { InstanceEntity } from './instance.entity';

/** A host name, besides `<name>.<BASE_DOMAIN>`, that serves an instance. One instance per domain. */
@Entity({ name: 'custom_domains' })
export class CustomDomainEntity {
  /** Lower case, without a trailing dot: compared as the request's host name is. */
  @PrimaryColumn({ type: 'varchar', length: 253 })
  domain!: string;

  @Index('custom_domains_instance_id')
  @Column({ name: 'instance_id', type: 'uuid' })
  instanceId!: string;

  @ManyToOne(() => InstanceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'instance_id' })
  instance?: InstanceEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
