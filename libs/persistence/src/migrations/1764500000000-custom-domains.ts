import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Host names that serve an instance besides `<name>.<BASE_DOMAIN>`; a domain belongs to one instance. */
export class CustomDomains1764500000000 implements MigrationInterface {
  name = 'CustomDomains1764500000000';

  async up(q: QueryRunner): Promise<void> {
    // The check keeps a mixed-case row from ever shadowing (or dodging) the unique key.
    await q.query(`
      CREATE TABLE custom_domains (
        domain varchar(253) PRIMARY KEY CHECK (domain = lower(domain)),
        instance_id uuid NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Listing an instance's domains, and the cascade when an instance is deleted.
    await q.query('CREATE INDEX custom_domains_instance_id ON custom_domains (instance_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE custom_domains');
  }
}
