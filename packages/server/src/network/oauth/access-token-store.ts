import type { Clock } from '../../clock/clock.ts';
import { randomToken } from '../../secrets/random-secret.ts';
import { digestSecret } from '../../secrets/secret-digest.ts';
import type { Queryable } from '../../storage/database.ts';

export const ACCESS_TOKEN_TTL_SECONDS = 60 * 60;

export interface AccessTokenGrant {
  clientId: string;
  profileId: number;
  scope: string;
}

export type AccessTokenCheck = { kind: 'valid'; grant: AccessTokenGrant } | { kind: 'expired' } | { kind: 'invalid' };

/** Opaque bearer tokens for the Network's own REST, stored as hashes. */
export class AccessTokenStore {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async issue(grant: AccessTokenGrant, codeId: number | null): Promise<{ token: string; expiresAt: Date }> {
    const token = randomToken();
    const expiresAt = new Date(this.clock.now().getTime() + ACCESS_TOKEN_TTL_SECONDS * 1000);
    await this.db.query(
      `INSERT INTO network_access_tokens (token_hash, client_id, profile_id, code_id, scope, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [digestSecret(token), grant.clientId, grant.profileId, codeId, grant.scope, expiresAt],
    );
    return { token, expiresAt };
  }

  async check(token: string): Promise<AccessTokenCheck> {
    const [row] = await this.db.query<{
      client_id: string;
      profile_id: number;
      scope: string;
      expires_at: Date;
      revoked_at: Date | null;
    }>('SELECT client_id, profile_id, scope, expires_at, revoked_at FROM network_access_tokens WHERE token_hash = $1', [
      digestSecret(token),
    ]);
    if (!row || row.revoked_at !== null) return { kind: 'invalid' };
    if (new Date(row.expires_at).getTime() <= this.clock.now().getTime()) return { kind: 'expired' };
    return { kind: 'valid', grant: { clientId: row.client_id, profileId: row.profile_id, scope: row.scope } };
  }

  /** RFC 7009: revoking an unknown token is not an error. */
  async revoke(token: string): Promise<void> {
    await this.db.query(
      'UPDATE network_access_tokens SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL',
      [digestSecret(token), this.clock.now()],
    );
  }
}
