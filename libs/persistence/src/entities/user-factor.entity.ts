import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { InstanceRow } from './instance-row';
import { UserEntity } from './user.entity';

/** The kinds of second factor a user can hold; one of each at most. */
export type FactorKind = 'totp';

/** A user's confirmed second factor. Removing the user removes it. */
@Entity({ name: 'user_factors' })
@Index(['userId', 'kind'], { unique: true })
export class UserFactorEntity extends InstanceRow {
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 16 })
  kind!: FactorKind;

  /** The shared secret, AES-256-GCM encrypted under the key-encryption key, bound to instance and user. */
  @Column({ name: 'sealed_secret', type: 'text' })
  sealedSecret!: string;

  /** The last TOTP time-step accepted; a code of this step or an earlier one is a replay. */
  @Column({ name: 'last_used_step', type: 'bigint', nullable: true })
  lastUsedStep!: string | null;
}
