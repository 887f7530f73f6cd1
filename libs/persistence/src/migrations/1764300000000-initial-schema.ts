import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Instances, their signing keys and their OAuth clients. */
export class InitialSchema1764300000000 implements MigrationInterface {
  name = 'InitialSchema1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE instances (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(63) NOT NULL UNIQUE,
        display_name varchar(200),
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        version integer NOT NULL DEFAULT 1,
        sites jsonb,
        policies jsonb NOT NULL DEFAULT '{}'::jsonb,
        cookie_keys text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE signing_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        instance_id uuid NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
        kid varchar(64) NOT NULL,
        alg varchar(16) NOT NULL,
        state varchar(16) NOT NULL CHECK (state IN ('next', 'active', 'retired')),
        public_jwk jsonb NOT NULL,
        private_jwk text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        retired_at timestamptz,
        UNIQUE (instance_id, kid)
      )`);
    await q.query(`
      CREATE TABLE clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        instance_id uuid NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
        client_id varchar(200) NOT NULL,
        client_name varchar(200),
        secret_hash text,
        token_endpoint_auth_method varchar(32) NOT NULL,
        grant_types jsonb NOT NULL,
        response_types jsonb NOT NULL,
        scopes jsonb NOT NULL,
        redirect_uris jsonb NOT NULL,
        post_logout_redirect_uris jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (instance_id, client_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE clients');
    await q.query('DROP TABLE signing_keys');
    await q.query('DROP TABLE instances');
  }
}
