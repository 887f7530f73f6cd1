import { randomUUID } from 'node:crypto';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  BeforeInsert,
} from 'typeorm';
import { InstanceEntity } from './instance.entity';

export type SigningKeyState = 'next' | 'active' | 'retired';

/** A public JWK as published in the instance's JWKS. */
export type PublicJwk = Record<string, string | string[] | undefined>;

@Entity({ name: 'signing_keys' })
@Index(['instanceId', 'kid'], { unique: true })
export class SigningKeyEntity {
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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}
