import type { Migration } from './migration.ts';

export const portalsAndUsers: Migration = {
  version: 1,
  name: 'portals and users',
  sql: `
    CREATE TABLE portals (
      id serial PRIMARY KEY,
      domain text NOT NULL UNIQUE,
      name text NOT NULL,
      default_country char(2) NOT NULL DEFAULT 'US',
      member_id text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE users (
      id serial PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      first_name text NOT NULL DEFAULT '',
      last_name text NOT NULL DEFAULT '',
      email text,
      phone text,
      username text,
      active boolean NOT NULL DEFAULT true,
      is_admin boolean NOT NULL DEFAULT false,
      password_hash text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX users_portal_email ON users (portal_id, email) WHERE email IS NOT NULL;
    CREATE UNIQUE INDEX users_portal_phone ON users (portal_id, phone) WHERE phone IS NOT NULL;
    CREATE UNIQUE INDEX users_portal_username ON users (portal_id, username) WHERE username IS NOT NULL;
  `,
};
