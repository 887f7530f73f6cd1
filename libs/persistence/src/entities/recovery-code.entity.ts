import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { InstanceRow } from './instance-row';
import { UserEntity } from './user.entity';

/** A single-use recovery code, stored as a salted digest; `usedAt` is set when it is spent. */
@Entity({ name: 'recovery_codes' })
@Index(['userId'])
export class RecoveryCodeEntity extends InstanceRow {
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  /** `<salt>.<digest>`, both base64url (see libs/mfa recovery-codes). */
  @Column({ name: 'code_digest', type: 'varchar', length: 128 })
  codeDigest!: string;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
