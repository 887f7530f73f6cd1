import { randomUUID } from 'node:crypto';
import { BeforeInsert, Column, CreateDateColumn, PrimaryColumn } from 'typeorm';

/**
 * The columns every row that belongs to one instance starts with. Deleting the instance removes
 * such rows: each table references `instances` with ON DELETE CASCADE, directly or through the row
 * it hangs off (a user's factors go with the user).
 */
export abstract class InstanceRow {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  // Ids are made here, not by the database: PGlite has no uuid extension and the id is needed before insert.
  @BeforeInsert()
  protected assignId(): void {
    this.id ??= randomUUID();
  }

  @Column({ name: 'instance_id', type: 'uuid' })
  instanceId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
