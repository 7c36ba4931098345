/**
 * PKCE (RFC 7636) as every Portaldesk authorization server reads it: the portal's own, the
 * Network's, and the desktop's secret in QR sign-in, which is a PKCE verifier in all but name.
 * Only S256: `plain` would hand the verifier to anyone who sees the authorization request.
 */

/** §4.1: 43–128 characters of the unreserved set `[A-Za-z0-9-._~]`. */
export const PKCE_VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

/** §4.2, S256: BASE64URL(SHA256(verifier)) without padding is exactly 43 characters. */
export const PKCE_S256_CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;
