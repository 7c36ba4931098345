import { DESKTOP_NETWORK_CLIENT_ID } from '@portaldesk/protocol';
import { createRemoteJWKSet, customFetch, jwtVerify } from 'jose';
import type { DesktopFetch } from '../portal/desktop-http-client.ts';

/** Clock skew tolerated between the Network and this computer. */
const CLOCK_TOLERANCE_SECONDS = 30;

export interface IdTokenExpectation {
  /** The Network the sign-in was started with. */
  issuer: string;
  /** The nonce this desktop put in the authorization request. */
  nonce: string;
  /** Reaches `*.localhost` Networks (demo, tests) without the system resolver. */
  fetch: DesktopFetch;
  now?: Date;
}

/**
 * Whether the Network's ID token is the answer to this sign-in (OpenID Connect Core §3.1.3.7):
 * `jose` checks the ES256 signature against the Network's published keys (its JWKS), `iss`,
 * `aud` (this app's client id), `exp` and `iat`; the nonce must be the one this desktop sent, so
 * an ID token from another sign-in (a replayed or injected code) is refused. The same library
 * verifies the same tokens on the portal side.
 */
export async function idTokenMatches(idToken: string, expected: IdTokenExpectation): Promise<boolean> {
  const keys = createRemoteJWKSet(new URL(`${expected.issuer}/.well-known/jwks.json`), {
    timeoutDuration: 5_000,
    // undici's Response is the one `fetch` answers, typed separately from the DOM's.
    [customFetch]: (url, options) => expected.fetch(url, options as never) as unknown as Promise<Response>,
  });
  try {
    const { payload } = await jwtVerify(idToken, keys, {
      issuer: expected.issuer,
      audience: DESKTOP_NETWORK_CLIENT_ID,
      typ: 'JWT',
      algorithms: ['ES256'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp', 'iat', 'nonce'],
      ...(expected.now ? { currentDate: expected.now } : {}),
    });
    return payload.nonce === expected.nonce;
  } catch {
    return false;
  }
}
