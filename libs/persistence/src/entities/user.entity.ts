import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { InstanceEntity } from './instance.entity';
import { InstanceRow } from './instance-row';

/** Internal users are licensed and may use the instance's APIs; external users sign in only. */
export type UserKind = 'internal' | 'external';
export type UserStatus = 'active' | 'disabled';

@Entity({ name: 'users' })
@Index(['instanceId', 'usernameNormalized'], { unique: true })
export class UserEntity extends InstanceRow {
  @ManyToOne(() => InstanceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'instance_id' })
  instance?: InstanceEntity;

  /** As the user typed it at creation; sign-in compares the normalized form. */
  @Column({ type: 'varchar', length: 200 })
  username!: string;

  @Column({ name: 'username_normalized', type: 'varchar', length: 200 })
  usernameNormalized!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200, nullable: true })
  displayName!: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 16 })
  kind!: UserKind;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: UserStatus;

  /** argon2id hash. */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true })
  passwordChangedAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
