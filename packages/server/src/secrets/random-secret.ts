import { randomBytes } from 'node:crypto';

/** A fresh unguessable value of `bytes` random bytes (256 bits by default), URL-safe. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * A random secret of lower-case letters and digits without look-alikes (base32, RFC 4648
 * alphabet lower-cased), for secrets a person may have to type: app passwords, recovery codes.
 */
export function randomTypeableSecret(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte & 31];
  return out;
}
