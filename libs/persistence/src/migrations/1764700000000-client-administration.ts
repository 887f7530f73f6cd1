import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Secret rotation with a grace period (the previous secret's hash and when it stops working), and
 * service accounts, each backed by one client-credentials client that is removed with it.
 */
export class ClientAdministration1764700000000 implements MigrationInterface {
  name = 'ClientAdministration1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE service_accounts (
        id uuid PRIMARY KEY,
        instance_id uuid NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
        name varchar(100) NOT NULL,
        description varchar(1000),
        scopes jsonb NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (instance_id, name)
      )`);
    // A previous hash without an expiry (or the reverse) would be a secret that never stops working.
    await q.query(`
      ALTER TABLE clients
        ADD COLUMN previous_secret_hash text,
        ADD COLUMN previous_secret_expires_at timestamptz,
        ADD COLUMN service_account_id uuid UNIQUE REFERENCES service_accounts(id) ON DELETE CASCADE,
        ADD CONSTRAINT clients_previous_secret_expiry
          CHECK ((previous_secret_hash IS NULL) = (previous_secret_expires_at IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM clients WHERE service_account_id IS NOT NULL');
    await q.query(`
      ALTER TABLE clients
        DROP CONSTRAINT clients_previous_secret_expiry,
        DROP COLUMN service_account_id,
        DROP COLUMN previous_secret_expires_at,
        DROP COLUMN previous_secret_hash`);
    await q.query('DROP TABLE service_accounts');
  }
}
