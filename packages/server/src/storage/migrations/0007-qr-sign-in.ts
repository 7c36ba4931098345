import type { Migration } from './migration.ts';

/**
 * QR sign-in. An attempt keeps only hashes of the desktop's secret, of the current QR pointer's
 * nonce and of the redeem code; the sealed redeem code and the check code are wiped when the
 * attempt ends. `qr_sign_in_audit` keeps every step with addresses and user agents, and the
 * new-sign-in alerts. `server_keys` holds keys every server process must share (the QR
 * pointer's HMAC key), created on first use.
 */
export const qrSignIn: Migration = {
  version: 7,
  name: 'qr sign-in',
  sql: `
    CREATE TABLE server_keys (
      purpose text PRIMARY KEY,
      secret text NOT NULL,
      created_at timestamptz NOT NULL
    );

    CREATE TABLE qr_sign_in_attempts (
      id text PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      state text NOT NULL,
      failure_reason text,
      public_key text NOT NULL,
      secret_hash text NOT NULL,
      device_name text NOT NULL,
      device_os text NOT NULL,
      os_mark text NOT NULL,
      os_account text NOT NULL,
      desktop_ip text NOT NULL,
      desktop_user_agent text,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      pointer_nonce_hash text,
      pointer_expires_at timestamptz,
      rotations integer NOT NULL DEFAULT 0,
      user_id integer REFERENCES users(id),
      scanner_session_id text,
      scanner_ip text,
      scanned_at timestamptz,
      check_code text,
      wrong_codes integer NOT NULL DEFAULT 0,
      code_confirmed_at timestamptz,
      approved_at timestamptz,
      redeem_code_hash text,
      sealed text,
      ended_at timestamptz,
      session_id text
    );
    CREATE INDEX qr_sign_in_attempts_scanner ON qr_sign_in_attempts (portal_id, scanner_session_id)
      WHERE ended_at IS NULL;

    CREATE TABLE qr_sign_in_audit (
      id bigserial PRIMARY KEY,
      attempt_id text NOT NULL,
      portal_id integer NOT NULL REFERENCES portals(id),
      at timestamptz NOT NULL,
      step text NOT NULL,
      ip text,
      user_agent text,
      user_id integer REFERENCES users(id),
      detail jsonb
    );
    CREATE INDEX qr_sign_in_audit_attempt ON qr_sign_in_audit (portal_id, attempt_id);
    CREATE INDEX qr_sign_in_audit_user ON qr_sign_in_audit (portal_id, user_id, at) WHERE user_id IS NOT NULL;
  `,
};
