import { createHash } from 'node:crypto';
import { secretsEqual } from '../secrets/opaque-secret.ts';

/** RFC 7636 §4.1: 43–128 characters of the unreserved set. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** A base64url SHA-256 digest is exactly 43 characters. */
export const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** PKCE with S256 only: `plain` would hand the verifier to anyone who sees the request. */
export function verifierMatches(challenge: string, verifier: string | undefined): boolean {
  if (!verifier || !VERIFIER.test(verifier)) return false;
  return secretsEqual(createHash('sha256').update(verifier).digest('base64url'), challenge);
}
