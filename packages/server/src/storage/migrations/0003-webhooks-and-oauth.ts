import type { Migration } from './migration.ts';

/**
 * Incoming webhooks and OAuth 2.0 for applications. Secrets and tokens are stored only as
 * SHA-256 digests: they are long random strings, so a digest cannot be reversed, and a stolen
 * table grants nothing. Every row carries its portal, and every lookup is scoped by it.
 */
export const webhooksAndOauth: Migration = {
  version: 3,
  name: 'webhooks and oauth',
  sql: `
    CREATE TABLE incoming_webhooks (
      id serial PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      user_id integer NOT NULL REFERENCES users(id),
      secret_hash text NOT NULL UNIQUE,
      scopes text[] NOT NULL,
      title text NOT NULL DEFAULT '',
      expires_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX incoming_webhooks_portal_user ON incoming_webhooks (portal_id, user_id);

    CREATE TABLE oauth_apps (
      id serial PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      client_id text NOT NULL UNIQUE,
      client_secret_hash text NOT NULL,
      name text NOT NULL,
      redirect_uris text[] NOT NULL,
      scopes text[] NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    -- One family per authorization: its refresh tokens rotate, and reuse of a spent one revokes it.
    CREATE TABLE oauth_token_families (
      id text PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      app_id integer NOT NULL REFERENCES oauth_apps(id),
      user_id integer NOT NULL REFERENCES users(id),
      scopes text[] NOT NULL,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE oauth_authorization_codes (
      code_hash text PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      app_id integer NOT NULL REFERENCES oauth_apps(id),
      user_id integer NOT NULL REFERENCES users(id),
      scopes text[] NOT NULL,
      redirect_uri text,
      code_challenge text,
      expires_at timestamptz NOT NULL,
      -- Set when the code is exchanged; a second exchange revokes this family.
      family_id text REFERENCES oauth_token_families(id)
    );

    CREATE TABLE oauth_tokens (
      token_hash text PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('access', 'refresh')),
      family_id text NOT NULL REFERENCES oauth_token_families(id),
      portal_id integer NOT NULL REFERENCES portals(id),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );
    CREATE INDEX oauth_tokens_family ON oauth_tokens (family_id);
  `,
};
