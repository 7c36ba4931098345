import type { Clock } from '../../clock/clock.ts';
import { randomToken } from '../../secrets/random-secret.ts';
import { digestSecret } from '../../secrets/secret-digest.ts';
import type { Queryable } from '../../storage/database.ts';

/**
 * Device cookies: a client that has signed in to an account before, and so is exempt from the
 * lockouts strangers cause (see `login-rate-limits.ts`). Only the hash of the cookie is stored.
 */
export class TrustedDeviceStore {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async remember(portalId: number, userId: number): Promise<string> {
    const token = randomToken();
    const now = this.clock.now();
    await this.db.query(
      'INSERT INTO trusted_devices (portal_id, user_id, token_hash, created_at, last_used_at) VALUES ($1, $2, $3, $4, $4)',
      [portalId, userId, digestSecret(token), now],
    );
    return token;
  }

  /** True when the cookie was given to this user of this portal. */
  async isTrusted(portalId: number, userId: number, token: string): Promise<boolean> {
    if (token.length === 0 || token.length > 128) return false;
    const rows = await this.db.query(
      'UPDATE trusted_devices SET last_used_at = $4 WHERE portal_id = $1 AND user_id = $2 AND token_hash = $3 RETURNING id',
      [portalId, userId, digestSecret(token), this.clock.now()],
    );
    return rows.length > 0;
  }
}
