import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh unguessable value (256 bits) for codes, tokens, session ids and client secrets. */
export function newOpaqueSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * How a secret is stored: SHA-256 is enough for a 256-bit random value (nothing to brute-force),
 * and it lets a lookup by hash use an index.
 */
export function hashOpaqueSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

export function secretsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
