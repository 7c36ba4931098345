import type { Migration } from './migration.ts';

/** Every column that holds the digest of a portal secret, written until now as hex. */
const HEX_DIGEST_COLUMNS = [
  ['app_passwords', 'password_hash'],
  ['sessions', 'token_hash'],
  ['otp_recovery_codes', 'code_hash'],
  ['trusted_devices', 'token_hash'],
  ['incoming_webhooks', 'secret_hash'],
  ['oauth_apps', 'client_secret_hash'],
  ['oauth_authorization_codes', 'code_hash'],
  ['oauth_tokens', 'token_hash'],
] as const;

/**
 * One digest for every stored secret (`secrets/secret-digest.ts`): SHA-256 in base64url, as the
 * Network and QR sign-in already wrote theirs. The portal's hex digests are re-encoded in place
 * (the same 32 bytes), so sessions, app passwords, webhooks and tokens issued before keep working.
 */
export const secretDigestsBase64url: Migration = {
  version: 11,
  name: 'secret digests in base64url',
  sql: HEX_DIGEST_COLUMNS.map(
    ([table, column]) =>
      `UPDATE ${table} SET ${column} = rtrim(translate(encode(decode(${column}, 'hex'), 'base64'), '+/', '-_'), '=')
        WHERE ${column} ~ '^[0-9a-f]{64}$';`,
  ).join('\n'),
};
