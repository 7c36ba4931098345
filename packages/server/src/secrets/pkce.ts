import { createHash } from 'node:crypto';
import { PKCE_S256_CHALLENGE_PATTERN, PKCE_VERIFIER_PATTERN } from '@portaldesk/protocol';
import { secretsEqual } from './secret-comparison.ts';

/** The S256 challenge of a verifier (RFC 7636 §4.2): BASE64URL(SHA256(ASCII(verifier))). */
export function pkceS256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function isPkceS256Challenge(challenge: string): boolean {
  return PKCE_S256_CHALLENGE_PATTERN.test(challenge);
}

/**
 * The one PKCE check (RFC 7636 §4.6) of the portal's OAuth, the Network's OAuth and QR sign-in:
 * a verifier of 43–128 unreserved characters whose S256 challenge is the one stored. Anything
 * else — missing, too short, too long, another alphabet, another challenge — is a mismatch.
 */
export function pkceVerifierMatches(verifier: string | undefined, challenge: string): boolean {
  if (verifier === undefined || !PKCE_VERIFIER_PATTERN.test(verifier)) return false;
  return secretsEqual(pkceS256Challenge(verifier), challenge);
}
