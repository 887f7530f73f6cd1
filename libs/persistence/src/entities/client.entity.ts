import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { InstanceEntity } from './instance.entity';
import { InstanceRow } from './instance-row';
import { ServiceAccountEntity } from './service-account.entity';

export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

@Entity({ name: 'clients' })
@Index(['instanceId', 'clientId'], { unique: true })
export class ClientEntity extends InstanceRow {
  @ManyToOne(() => InstanceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'instance_id' })
  instance?: InstanceEntity;

  @Column({ name: 'client_id', type: 'varchar', length: 200 })
  clientId!: string;

  @Column({ name: 'client_name', type: 'varchar', length: 200, nullable: true })
  clientName!: string | null;

  /** argon2id hash of the client secret; null for public clients. */
  @Column({ name: 'secret_hash', type: 'text', nullable: true })
  secretHash!: string | null;

  /**
   * After a rotation with a grace period, the replaced secret's hash; it authenticates until
   * `previousSecretExpiresAt`. Both are null otherwise.
   */
  @Column({ name: 'previous_secret_hash', type: 'text', nullable: true })
  previousSecretHash!: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt!: Date | null;

  /** Set when the client is the credential of a service account, which then owns it. */
  @Column({ name: 'service_account_id', type: 'uuid', nullable: true })
  serviceAccountId!: string | null;

  @ManyToOne(() => ServiceAccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_account_id' })
  serviceAccount?: ServiceAccountEntity;

  @Column({ name: 'token_endpoint_auth_method', type: 'varchar', length: 32 })
  tokenEndpointAuthMethod!: TokenEndpointAuthMethod;

  @Column({ name: 'grant_types', type: 'jsonb' })
  grantTypes!: string[];

  @Column({ name: 'response_types', type: 'jsonb' })
  responseTypes!: string[];

  @Column({ type: 'jsonb' })
  scopes!: string[];

  @Column({ name: 'redirect_uris', type: 'jsonb' })
  redirectUris!: string[];

  @Column({ name: 'post_logout_redirect_uris', type: 'jsonb' })
  postLogoutRedirectUris!: string[];

  @Column({ name: 'backchannel_logout_uri', type: 'text', nullable: true })
  backchannelLogoutUri!: string | null;

  @Column({ name: 'frontchannel_logout_uri', type: 'text', nullable: true })
  frontchannelLogoutUri!: string | null;

  /** First-party clients (the default) skip the consent page. */
  @Column({ name: 'require_consent', type: 'boolean', default: false })
  requireConsent!: boolean;

  /** Whether the client (an API) may call the introspection endpoint; never a service account's client. */
  @Column({ type: 'boolean', default: false })
  introspection!: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
