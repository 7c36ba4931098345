import type { Clock } from '../../clock/clock.ts';
import { randomToken } from '../../secrets/random-secret.ts';
import { digestSecret } from '../../secrets/secret-digest.ts';
import type { Queryable } from '../../storage/database.ts';

/** The cookie that carries a Network session; only ever set on the Network's host. */
export const NETWORK_SESSION_COOKIE = 'PDN_SESSID';

const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface NetworkSession {
  profileId: number;
  /** The CSRF token (`sessid`) a state-changing call in this session must carry. */
  csrfToken: string;
}

/** Browser sessions of Network profiles. Only the hash of a session id is stored. */
export class NetworkSessionStore {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async create(profileId: number): Promise<{ sessionId: string; csrfToken: string; expiresAt: Date }> {
    const sessionId = randomToken();
    const csrfToken = randomToken();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await this.db.query(
      `INSERT INTO network_sessions (id_hash, profile_id, csrf_token, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [digestSecret(sessionId), profileId, csrfToken, now, expiresAt],
    );
    return { sessionId, csrfToken, expiresAt };
  }

  async find(sessionId: string | undefined): Promise<NetworkSession | null> {
    if (!sessionId) return null;
    const [row] = await this.db.query<{ profile_id: number; csrf_token: string }>(
      `SELECT profile_id, csrf_token FROM network_sessions
       WHERE id_hash = $1 AND revoked_at IS NULL AND expires_at > $2`,
      [digestSecret(sessionId), this.clock.now()],
    );
    return row ? { profileId: row.profile_id, csrfToken: row.csrf_token } : null;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.db.query('UPDATE network_sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL', [
      digestSecret(sessionId),
      this.clock.now(),
    ]);
  }
}
