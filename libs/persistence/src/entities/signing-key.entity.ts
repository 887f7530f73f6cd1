import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { InstanceEntity } from './instance.entity';
import { InstanceRow } from './instance-row';

export type SigningKeyState = 'next' | 'active' | 'retired';

/** A public JWK as published in the instance's JWKS. */
export type PublicJwk = Record<string, string | string[] | undefined>;

@Entity({ name: 'signing_keys' })
@Index(['instanceId', 'kid'], { unique: true })
export class SigningKeyEntity extends InstanceRow {
  @ManyToOne(() => InstanceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'instance_id' })
  instance?: InstanceEntity;

  @Column({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 16 })
  alg!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: SigningKeyState;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: PublicJwk;

  /** The private JWK, AES-256-GCM encrypted under the key-encryption key, bound to instance and kid. */
  @Column({ name: 'private_jwk', type: 'text' })
  privateJwk!: string;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}
