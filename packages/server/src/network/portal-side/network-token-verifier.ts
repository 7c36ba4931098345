import { createRemoteJWKSet, customFetch, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Clock } from '../../clock/clock.ts';
import { localhostFetch } from '../../http-client/localhost-fetch.ts';
import { secretsEqual } from '../../secrets/secret-comparison.ts';
import type { Queryable } from '../../storage/database.ts';
import type { PortalNetworkTrust } from './portal-network-trust.ts';

/** Why a portal refused a Network token; never more detailed than this towards the client. */
export class NetworkTokenRejected extends Error {
  constructor(
    readonly code: 'invalid_token' | 'expired_token' | 'replayed_token',
    message: string,
  ) {
    super(message);
  }
}

export interface VerifiedNetworkIdentity {
  /** The profile's public id at the Network. */
  subject: string;
  /** The linked account on this portal. */
  portalUserId: number;
}

/** Clock skew tolerated between the Network and a portal. */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Verifies tokens the Network signed for this portal: signature against the Network's JWKS
 * (fetched over HTTP from the issuer and cached by `jose`, refetched when an unknown key id
 * appears), `iss` equal to the trusted issuer, `aud` equal to this portal's client id, the JOSE
 * `typ`, expiry, and — for ID tokens — the nonce of the sign-in that asked for it. Portal
 * assertions are single use: their `jti` is recorded until they expire.
 */
export class NetworkTokenVerifier {
  private readonly keySets = new Map<string, JWTVerifyGetKey>();

  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async verify(
    trust: PortalNetworkTrust,
    token: string,
    expected: { type: string; nonce?: string; singleUse?: boolean },
  ): Promise<VerifiedNetworkIdentity> {
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(token, this.keySet(trust.issuer), {
        issuer: trust.issuer,
        audience: trust.clientId,
        typ: expected.type,
        algorithms: ['ES256'],
        currentDate: this.clock.now(),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new NetworkTokenRejected('expired_token', 'The token has expired');
      throw new NetworkTokenRejected('invalid_token', 'The token is not valid for this portal');
    }
    if (
      expected.nonce !== undefined &&
      !(typeof payload.nonce === 'string' && secretsEqual(payload.nonce, expected.nonce))
    ) {
      throw new NetworkTokenRejected('invalid_token', 'The token was not issued for this sign-in');
    }
    const portalUserId = payload.portal_user_id;
    if (typeof portalUserId !== 'number' || !Number.isInteger(portalUserId) || portalUserId <= 0) {
      throw new NetworkTokenRejected('invalid_token', 'The token names no account on this portal');
    }
    if (expected.singleUse) await this.spend(trust.portalId, String(payload.jti), Number(payload.exp));
    return { subject: String(payload.sub), portalUserId };
  }

  private async spend(portalId: number, jti: string, exp: number): Promise<void> {
    const now = this.clock.now();
    await this.db.query('DELETE FROM portal_network_used_assertions WHERE expires_at < $1', [
      new Date(now.getTime() - CLOCK_TOLERANCE_SECONDS * 1000),
    ]);
    const rows = await this.db.query(
      `INSERT INTO portal_network_used_assertions (jti, portal_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (jti) DO NOTHING RETURNING jti`,
      [jti, portalId, new Date(exp * 1000)],
    );
    if (rows.length === 0) throw new NetworkTokenRejected('replayed_token', 'The token was already used');
  }

  private keySet(issuer: string): JWTVerifyGetKey {
    let keys = this.keySets.get(issuer);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`), {
        timeoutDuration: 5_000,
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
        // `*.localhost` Networks (demo, tests) are reached without the system resolver.
        [customFetch]: (url, options) => localhostFetch(url, options as never) as unknown as Promise<Response>,
      });
      this.keySets.set(issuer, keys);
    }
    return keys;
  }
}
