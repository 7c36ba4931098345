import { createHash } from 'node:crypto';

/**
 * How every stored secret is kept: tokens, codes, session ids, client secrets, app passwords,
 * webhook secrets, recovery codes, QR sign-in codes. Each is a long random value, so SHA-256
 * cannot be reversed or brute-forced, and unlike a slow password hash it lets a lookup by digest
 * use an index. Base64url, the encoding PKCE's S256 uses, so a digest a client sends (the QR
 * desktop's `secretHash`) and one made here are the same string. Passwords people choose are
 * not secrets of this kind: they get argon2id (`auth/password-hasher.ts`).
 */
export function digestSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}
