import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { InstanceEntity } from './instance.entity';
import { InstanceRow } from './instance-row';
import { ServiceAccountEntity } from './service-account.entity';
import { UserEntity } from './user.entity';

/** `personal` (PAT) for an internal user, `service` (SAT) for a service account. */
export type ReferenceTokenKind = 'personal' | 'service';

/** The instance APIs a reference token may be used at; its `aud` is their identifiers. */
export type ReferenceTokenApi = 'domain' | 'table';

/**
 * An opaque, long-lived access token for the instance APIs, checked by the APIs through the
 * introspection endpoint. Only the SHA-256 of the token is stored; it dies with its subject.
 */
@Entity({ name: 'reference_tokens' })
@Index(['instanceId', 'createdAt', 'id'])
export class ReferenceTokenEntity extends InstanceRow {
  @ManyToOne(() => InstanceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'instance_id' })
  instance?: InstanceEntity;

  @Column({ type: 'varchar', length: 16 })
  kind!: ReferenceTokenKind;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'service_account_id', type: 'uuid', nullable: true })
  serviceAccountId!: string | null;

  @ManyToOne(() => ServiceAccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_account_id' })
  serviceAccount?: ServiceAccountEntity;

  /** Hex SHA-256 of the whole token (prefix included); unique, so every lookup is an index probe. */
  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash!: string;

  @Column({ type: 'jsonb' })
  scopes!: string[];

  @Column({ type: 'jsonb' })
  apis!: ReferenceTokenApi[];

  @Column({ type: 'varchar', length: 1000, nullable: true })
  description!: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /** Written at most once a minute per token and process (see ReferenceTokenUsage). */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
