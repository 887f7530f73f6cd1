import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users of each instance, and the client fields interactive sign-in and sign-out need. */
export class UsersAndInteractiveClients1764400000000 implements MigrationInterface {
  name = 'UsersAndInteractiveClients1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        instance_id uuid NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
        username varchar(200) NOT NULL,
        username_normalized varchar(200) NOT NULL,
        display_name varchar(200),
        email varchar(320),
        kind varchar(16) NOT NULL CHECK (kind IN ('internal', 'external')),
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        password_hash text NOT NULL,
        password_changed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (instance_id, username_normalized)
      )`);
    await q.query(`
      ALTER TABLE clients
        ADD COLUMN backchannel_logout_uri text,
        ADD COLUMN frontchannel_logout_uri text,
        ADD COLUMN require_consent boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE clients
        DROP COLUMN backchannel_logout_uri,
        DROP COLUMN frontchannel_logout_uri,
        DROP COLUMN require_consent`);
    await q.query('DROP TABLE users');
  }
}
