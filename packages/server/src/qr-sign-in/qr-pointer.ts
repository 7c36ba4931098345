import { createHmac, randomBytes } from 'node:crypto';
import { secretsEqual } from '../secrets/secret-comparison.ts';

/**
 * The QR's pointer: `1.<attempt id>.<nonce>.<expiry>.<HMAC-SHA256>`. The MAC covers the portal,
 * the attempt, the nonce, the expiry and the hash of the desktop's public key, so a pointer
 * cannot be forged, moved to another portal, kept alive past its expiry or paired with another
 * key. Being signed is not enough to be used: the attempt must still hold this nonce (rotation
 * replaces it, a scan consumes it), so every pointer is also single-use.
 */
export interface PointerClaims {
  portalId: number;
  attemptId: string;
  nonce: string;
  /** Unix seconds. */
  expiresAt: number;
  keyHash: string;
}

const VERSION = '1';

export function newPointerNonce(): string {
  return randomBytes(16).toString('base64url');
}

export function signPointer(key: Buffer, claims: PointerClaims): string {
  const { attemptId, nonce, expiresAt } = claims;
  return [VERSION, attemptId, nonce, expiresAt.toString(36), mac(key, claims)].join('.');
}

/** The claims of an authentic pointer issued by this portal for this key, or null. Expiry is the caller's. */
export function verifyPointer(
  key: Buffer,
  pointer: string,
  expected: { portalId: number; keyHash: string },
): PointerClaims | null {
  const parts = pointer.split('.');
  if (parts.length !== 5) return null;
  const [version, attemptId = '', nonce = '', expiry = '', signature = ''] = parts;
  if (version !== VERSION || !/^[0-9a-z]{1,12}$/.test(expiry)) return null;
  const claims: PointerClaims = { ...expected, attemptId, nonce, expiresAt: Number.parseInt(expiry, 36) };
  return secretsEqual(signature, mac(key, claims)) ? claims : null;
}

function mac(key: Buffer, c: PointerClaims): string {
  return createHmac('sha256', key)
    .update(['portaldesk qr pointer v1', c.portalId, c.attemptId, c.nonce, c.expiresAt, c.keyHash].join('\u0000'))
    .digest('base64url');
}
