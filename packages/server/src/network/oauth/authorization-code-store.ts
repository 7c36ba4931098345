import type { Clock } from '../../clock/clock.ts';
import { randomToken } from '../../secrets/random-secret.ts';
import { digestSecret } from '../../secrets/secret-digest.ts';
import type { Database } from '../../storage/database.ts';

/** RFC 6749 §4.1.2 recommends at most ten minutes; a redirect takes a second. */
export const AUTHORIZATION_CODE_TTL_MS = 60_000;

export interface AuthorizationGrant {
  clientId: string;
  profileId: number;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  nonce: string | null;
}

export type CodeRedemption =
  | { kind: 'redeemed'; codeId: number; grant: AuthorizationGrant }
  /** The code was used before: whatever was issued from it is revoked (RFC 6749 §4.1.2). */
  | { kind: 'reused' }
  | { kind: 'invalid' };

interface CodeRow {
  id: number;
  client_id: string;
  profile_id: number;
  redirect_uri: string;
  code_challenge: string;
  scope: string;
  nonce: string | null;
  expires_at: Date;
  used_at: Date | null;
}

/** One-time authorization codes, stored as hashes. */
export class AuthorizationCodeStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async issue(grant: AuthorizationGrant): Promise<string> {
    const code = randomToken();
    await this.db.query(
      `INSERT INTO network_authorization_codes
         (code_hash, client_id, profile_id, redirect_uri, code_challenge, scope, nonce, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        digestSecret(code),
        grant.clientId,
        grant.profileId,
        grant.redirectUri,
        grant.codeChallenge,
        grant.scope,
        grant.nonce,
        new Date(this.clock.now().getTime() + AUTHORIZATION_CODE_TTL_MS),
      ],
    );
    return code;
  }

  /**
   * Marks the code used, whatever happens next: a code presented once is spent, even when the
   * exchange then fails its other checks, so it cannot be tried again with another verifier.
   */
  async redeem(code: string, clientId: string): Promise<CodeRedemption> {
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<CodeRow>(
        'SELECT * FROM network_authorization_codes WHERE code_hash = $1 FOR UPDATE',
        [digestSecret(code)],
      );
      if (!row || row.client_id !== clientId) return { kind: 'invalid' } as const;
      if (row.used_at !== null) {
        await tx.query('UPDATE network_access_tokens SET revoked_at = $2 WHERE code_id = $1 AND revoked_at IS NULL', [
          row.id,
          now,
        ]);
        return { kind: 'reused' } as const;
      }
      await tx.query('UPDATE network_authorization_codes SET used_at = $2 WHERE id = $1', [row.id, now]);
      if (new Date(row.expires_at).getTime() <= now.getTime()) return { kind: 'invalid' } as const;
      return {
        kind: 'redeemed',
        codeId: row.id,
        grant: {
          clientId: row.client_id,
          profileId: row.profile_id,
          redirectUri: row.redirect_uri,
          codeChallenge: row.code_challenge,
          scope: row.scope,
          nonce: row.nonce,
        },
      } as const;
    });
  }
}
