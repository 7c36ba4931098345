import type { Migration } from './migration.ts';

/**
 * Sign-in: sessions, application passwords, TOTP two-factor with recovery codes, and the
 * known-client ("device") cookies that keep real users signing in while guessers are locked
 * out. Only SHA-256 hashes of tokens, app passwords, recovery codes and device cookies are
 * stored: each is a long random value, so a fast hash is as safe as a slow one and keeps the
 * lookups indexable. The TOTP secret itself must be stored to check codes.
 */
export const auth: Migration = {
  version: 2,
  name: 'auth',
  sql: `
    CREATE TABLE app_passwords (
      id serial PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      user_id integer NOT NULL REFERENCES users(id),
      password_hash text NOT NULL UNIQUE,
      os_mark text NOT NULL,
      os_account text NOT NULL,
      created_at timestamptz NOT NULL,
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    CREATE INDEX app_passwords_user ON app_passwords (portal_id, user_id) WHERE revoked_at IS NULL;

    CREATE TABLE sessions (
      id text PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      user_id integer NOT NULL REFERENCES users(id),
      token_hash text NOT NULL UNIQUE,
      app_password_id integer REFERENCES app_passwords(id),
      ip text,
      user_agent text,
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    CREATE INDEX sessions_user ON sessions (portal_id, user_id) WHERE revoked_at IS NULL;
    CREATE INDEX sessions_app_password ON sessions (app_password_id) WHERE revoked_at IS NULL;

    CREATE TABLE user_otp (
      portal_id integer NOT NULL REFERENCES portals(id),
      user_id integer NOT NULL REFERENCES users(id),
      secret text,
      pending_secret text,
      enabled_at timestamptz,
      last_used_step integer,
      PRIMARY KEY (portal_id, user_id)
    );

    CREATE TABLE otp_recovery_codes (
      id serial PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      user_id integer NOT NULL REFERENCES users(id),
      code_hash text NOT NULL,
      used_at timestamptz,
      UNIQUE (portal_id, user_id, code_hash)
    );

    CREATE TABLE trusted_devices (
      id serial PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      user_id integer NOT NULL REFERENCES users(id),
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL,
      last_used_at timestamptz NOT NULL
    );
  `,
};
