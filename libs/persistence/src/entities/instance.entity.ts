import { randomUUID } from 'node:crypto';
import { Column, CreateDateColumn, Entity, PrimaryColumn, BeforeInsert, UpdateDateColumn } from 'typeorm';

export type InstanceStatus = 'active' | 'suspended';

/** A site listed by `/sys/auto-discovery` besides the identity server itself. */
/** Per-instance override of an API's identifier; an absent API keeps its default. */
export interface InstanceApiIdentifiers {
  domain?: { identifier: string };
  table?: { identifier: string };
}

export interface InstanceSite {
  type: string;
  url: string;
  status?: string;
  additionalProperties?: Record<string, string>;
}

@Entity({ name: 'instances' })
export class InstanceEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  // Ids are made here, not by the database: PGlite has no uuid extension and the id is needed before insert.
  @BeforeInsert()
  protected assignId(): void {
    this.id ??= randomUUID();
  }

  @Column({ type: 'varchar', length: 63, unique: true })
  name!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200, nullable: true })
  displayName!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: InstanceStatus;

  /** Bumped by every change; replicas compare it to drop stale cached issuers. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  /** Sites other than ID; null means "derive the defaults from the host". */
  @Column({ type: 'jsonb', nullable: true })
  sites!: InstanceSite[] | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  policies!: Record<string, unknown>;

  /** Cookie signing keys, encrypted under the key-encryption key (see libs/keys). */
  /** Identifiers (resource indicators, `aud`) replacing the defaults `<root>/api/domain|table`. */
  @Column({ type: 'jsonb', nullable: true })
  apis!: InstanceApiIdentifiers | null;

  @Column({ name: 'cookie_keys', type: 'text' })
  cookieKeys!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
