import type { MigrationInterface, QueryRunner } from 'typeorm';

/** TOTP second factors and recovery codes of users; both go with the user. */
export class UserFactors1764900000000 implements MigrationInterface {
  name = 'UserFactors1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_factors (
        id uuid PRIMARY KEY,
        instance_id uuid NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind varchar(16) NOT NULL CHECK (kind IN ('totp')),
        sealed_secret text NOT NULL,
        last_used_step bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_id, kind)
      )`);
    await q.query(`
      CREATE TABLE recovery_codes (
        id uuid PRIMARY KEY,
        instance_id uuid NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_digest varchar(128) NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX recovery_codes_user_id ON recovery_codes (user_id)');
    // The cascades from instances scan these: index them.
    await q.query('CREATE INDEX user_factors_instance_id ON user_factors (instance_id)');
    await q.query('CREATE INDEX recovery_codes_instance_id ON recovery_codes (instance_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE recovery_codes');
    await q.query('DROP TABLE user_factors');
  }
}
