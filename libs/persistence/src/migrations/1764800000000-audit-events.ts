import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit trail of each instance: admin changes, sign-ins, scheduled key rotations. */
export class AuditEvents1764800000000 implements MigrationInterface {
  name = 'AuditEvents1764800000000';

  async up(q: QueryRunner): Promise<void> {
    // The default keeps millisecond precision like the gateway's own timestamps: page cursors carry
    // the time as JavaScript holds it, and a microsecond would make them skip or repeat a row.
    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY,
        instance_id uuid NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
        occurred_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        actor varchar(200) NOT NULL,
        action varchar(100) NOT NULL,
        target_type varchar(50),
        target_id varchar(200),
        source_address varchar(45),
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    // Newest-first pages of one instance (keyset on occurred_at, id); also serves the cascade.
    await q.query('CREATE INDEX audit_events_page ON audit_events (instance_id, occurred_at DESC, id DESC)');
    // Retention deletes across every instance by age.
    await q.query('CREATE INDEX audit_events_occurred_at ON audit_events (occurred_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_events');
  }
}
