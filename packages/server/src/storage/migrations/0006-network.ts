import type { Migration } from './migration.ts';

/**
 * The Network (global identity) and a portal's trust in it. The `network_*` tables belong to the
 * Network role and never reference portal rows: in production the Network may run alone with a
 * database of its own, knowing portals only as registered OAuth clients. `portal_network_*`
 * tables belong to the portal role. Secrets that a server only has to recognise are stored as
 * SHA-256 hashes (they are long random values, so a slow hash adds nothing).
 */
export const network: Migration = {
  version: 6,
  name: 'network',
  sql: `
    CREATE TABLE network_profiles (
      id serial PRIMARY KEY,
      public_id text NOT NULL UNIQUE,
      email text UNIQUE,
      email_verified_at timestamptz,
      phone text UNIQUE,
      display_name text NOT NULL,
      password_hash text NOT NULL,
      totp_secret text,
      totp_last_step bigint,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (email IS NOT NULL OR phone IS NOT NULL)
    );
    CREATE TABLE network_sessions (
      id_hash text PRIMARY KEY,
      profile_id integer NOT NULL REFERENCES network_profiles(id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    CREATE TABLE network_email_outbox (
      id serial PRIMARY KEY,
      recipient text NOT NULL,
      kind text NOT NULL,
      subject text NOT NULL,
      link text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE network_email_verifications (
      token_hash text PRIMARY KEY,
      profile_id integer NOT NULL REFERENCES network_profiles(id) ON DELETE CASCADE,
      email text NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );
    CREATE TABLE network_signing_keys (
      kid text PRIMARY KEY,
      alg text NOT NULL,
      private_jwk jsonb NOT NULL,
      public_jwk jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      retired_at timestamptz
    );
    CREATE TABLE network_clients (
      client_id text PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('portal', 'native')),
      name text NOT NULL,
      secret_hash text,
      redirect_uris jsonb NOT NULL,
      portal_url text UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'portal') = (portal_url IS NOT NULL AND secret_hash IS NOT NULL))
    );
    INSERT INTO network_clients (client_id, kind, name, redirect_uris)
      VALUES ('portaldesk-desktop', 'native', 'Portaldesk desktop', '["http://127.0.0.1/callback"]');
    CREATE TABLE network_authorization_codes (
      id serial PRIMARY KEY,
      code_hash text NOT NULL UNIQUE,
      client_id text NOT NULL REFERENCES network_clients(client_id) ON DELETE CASCADE,
      profile_id integer NOT NULL REFERENCES network_profiles(id) ON DELETE CASCADE,
      redirect_uri text NOT NULL,
      code_challenge text NOT NULL,
      scope text NOT NULL,
      nonce text,
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );
    CREATE TABLE network_access_tokens (
      token_hash text PRIMARY KEY,
      client_id text NOT NULL REFERENCES network_clients(client_id) ON DELETE CASCADE,
      profile_id integer NOT NULL REFERENCES network_profiles(id) ON DELETE CASCADE,
      code_id integer REFERENCES network_authorization_codes(id) ON DELETE CASCADE,
      scope text NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    CREATE INDEX network_access_tokens_code ON network_access_tokens (code_id);
    CREATE TABLE network_links (
      id serial PRIMARY KEY,
      profile_id integer NOT NULL REFERENCES network_profiles(id) ON DELETE CASCADE,
      client_id text NOT NULL REFERENCES network_clients(client_id) ON DELETE CASCADE,
      portal_user_id integer NOT NULL,
      portal_user_name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (profile_id, client_id),
      UNIQUE (client_id, portal_user_id)
    );
    CREATE TABLE network_invitations (
      token_hash text PRIMARY KEY,
      client_id text NOT NULL REFERENCES network_clients(client_id) ON DELETE CASCADE,
      portal_user_id integer NOT NULL,
      portal_user_name text NOT NULL,
      email text NOT NULL,
      expires_at timestamptz NOT NULL,
      accepted_at timestamptz
    );
    CREATE TABLE portal_network_trust (
      portal_id integer PRIMARY KEY REFERENCES portals(id),
      issuer text NOT NULL,
      client_id text NOT NULL,
      client_secret text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE portal_network_used_assertions (
      jti text PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      expires_at timestamptz NOT NULL
    );
  `,
};
