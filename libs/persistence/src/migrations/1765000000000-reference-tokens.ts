import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reference tokens (personal and service access tokens, stored as SHA-256 hashes), the clients'
 * permission to introspect, and per-instance API identifiers.
 */
export class ReferenceTokens1765000000000 implements MigrationInterface {
  name = 'ReferenceTokens1765000000000';

  async up(q: QueryRunner): Promise<void> {
    // Exactly one subject, of the kind's type: a personal token without a user would be nobody's.
    await q.query(`
      CREATE TABLE reference_tokens (
        id uuid PRIMARY KEY,
        instance_id uuid NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
        kind varchar(16) NOT NULL CHECK (kind IN ('personal', 'service')),
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        service_account_id uuid REFERENCES service_accounts(id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL UNIQUE,
        scopes jsonb NOT NULL,
        apis jsonb NOT NULL,
        description varchar(1000),
        expires_at timestamptz,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reference_tokens_subject CHECK (
          (kind = 'personal' AND user_id IS NOT NULL AND service_account_id IS NULL) OR
          (kind = 'service' AND service_account_id IS NOT NULL AND user_id IS NULL))
      )`);
    await q.query(
      'CREATE INDEX reference_tokens_instance_created ON reference_tokens (instance_id, created_at, id)',
    );
    await q.query('CREATE INDEX reference_tokens_user ON reference_tokens (user_id)');
    await q.query('CREATE INDEX reference_tokens_service_account ON reference_tokens (service_account_id)');
    await q.query('ALTER TABLE clients ADD COLUMN introspection boolean NOT NULL DEFAULT false');
    await q.query('ALTER TABLE instances ADD COLUMN apis jsonb');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE instances DROP COLUMN apis');
    await q.query('ALTER TABLE clients DROP COLUMN introspection');
    await q.query('DROP TABLE reference_tokens');
  }
}
