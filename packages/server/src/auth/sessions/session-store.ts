import type { Queryable } from '../../storage/database.ts';
import { lookupBatch } from '../../storage/lookup-batch.ts';

interface SessionRow {
  id: string;
  portal_id: number;
  user_id: number;
  app_password_id: number | null;
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
}

export interface StoredSession {
  id: string;
  portalId: number;
  userId: number;
  appPasswordId: number | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

const COLUMNS =
  's.id, s.portal_id, s.user_id, s.app_password_id, s.ip, s.user_agent, s.created_at, s.last_seen_at, s.expires_at';

const toSession = (r: SessionRow): StoredSession => ({
  id: r.id,
  portalId: r.portal_id,
  userId: r.user_id,
  appPasswordId: r.app_password_id,
  ip: r.ip,
  userAgent: r.user_agent,
  createdAt: new Date(r.created_at),
  lastSeenAt: new Date(r.last_seen_at),
  expiresAt: new Date(r.expires_at),
});

export interface NewSession {
  id: string;
  portalId: number;
  userId: number;
  tokenHash: string;
  appPasswordId: number | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  expiresAt: Date;
}

interface LiveLookup {
  portalId: number;
  tokenHash: string;
  now: Date;
}

/** The most lookups one query answers. */
const MAX_LOOKUPS = 64;

/** Sessions by the hash of their cookie token; every query is scoped by portal. */
export class SessionStore {
  /** Every session call looks its session up (past a short cache): one query for those that arrive together. */
  private readonly live: (lookup: LiveLookup) => Promise<StoredSession | null>;

  constructor(private readonly db: Queryable) {
    this.live = lookupBatch((lookups) => this.findLiveMany(lookups), MAX_LOOKUPS);
  }

  async insert(s: NewSession): Promise<void> {
    await this.db.query(
      `INSERT INTO sessions (id, portal_id, user_id, token_hash, app_password_id, ip, user_agent, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)`,
      [s.id, s.portalId, s.userId, s.tokenHash, s.appPasswordId, s.ip, s.userAgent, s.createdAt, s.expiresAt],
    );
  }

  /** A session that is neither revoked nor expired and whose user is still active. */
  findLive(portalId: number, tokenHash: string, now: Date): Promise<StoredSession | null> {
    return this.live({ portalId, tokenHash, now });
  }

  private async findLiveMany(lookups: readonly LiveLookup[]): Promise<(StoredSession | null)[]> {
    const rows = await this.db.query<SessionRow & { lookup: number }>(
      // Sessions and users are read by key (LATERAL … LIMIT 1): as plain joins, the plan made once
      // on a near-empty database scanned every user on each request.
      `SELECT w.ord - 1 AS lookup, ${COLUMNS}
       FROM unnest($1::int[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS w(portal_id, token_hash, now, ord)
       CROSS JOIN LATERAL (
         SELECT * FROM sessions s
         WHERE s.portal_id = w.portal_id AND s.token_hash = w.token_hash AND s.revoked_at IS NULL AND s.expires_at > w.now
         LIMIT 1
       ) s
       JOIN LATERAL (SELECT u.active FROM users u WHERE u.id = s.user_id AND u.portal_id = s.portal_id LIMIT 1) u ON u.active`,
      [lookups.map((l) => l.portalId), lookups.map((l) => l.tokenHash), lookups.map((l) => l.now)],
    );
    const found = new Map(rows.map((row) => [Number(row.lookup), toSession(row)]));
    return lookups.map((_, index) => found.get(index) ?? null);
  }

  /** The same rule as {@link findLive}, for a session known by its id rather than its token. */
  async findLiveById(portalId: number, id: string, now: Date): Promise<StoredSession | null> {
    const [row] = await this.db.query<SessionRow>(
      `SELECT ${COLUMNS} FROM sessions s
       JOIN users u ON u.id = s.user_id AND u.portal_id = s.portal_id AND u.active
       WHERE s.portal_id = $1 AND s.id = $2 AND s.revoked_at IS NULL AND s.expires_at > $3`,
      [portalId, id, now],
    );
    return row ? toSession(row) : null;
  }

  async touch(portalId: number, id: string, now: Date): Promise<void> {
    await this.db.query('UPDATE sessions SET last_seen_at = $3 WHERE portal_id = $1 AND id = $2', [portalId, id, now]);
  }

  async listLive(portalId: number, userId: number, now: Date): Promise<StoredSession[]> {
    const rows = await this.db.query<SessionRow>(
      `SELECT ${COLUMNS} FROM sessions s
       WHERE s.portal_id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > $3
       ORDER BY s.created_at DESC, s.id`,
      [portalId, userId, now],
    );
    return rows.map(toSession);
  }

  /** Revokes one session of the user; false when there is no such live session. */
  async revoke(portalId: number, userId: number, id: string, now: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE sessions SET revoked_at = $4
       WHERE portal_id = $1 AND user_id = $2 AND id = $3 AND revoked_at IS NULL RETURNING id`,
      [portalId, userId, id, now],
    );
    return rows.length > 0;
  }

  /** Revokes every live session of the user but `keepId` (when given); answers their ids. */
  async revokeAllOfUser(portalId: number, userId: number, now: Date, keepId: string | null = null): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `UPDATE sessions SET revoked_at = $3
       WHERE portal_id = $1 AND user_id = $2 AND revoked_at IS NULL AND ($4::text IS NULL OR id <> $4)
       RETURNING id`,
      [portalId, userId, now, keepId],
    );
    return rows.map((r) => r.id);
  }

  /** Revokes the sessions opened with one application password; answers their ids. */
  async revokeOpenedWith(portalId: number, appPasswordId: number, now: Date): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `UPDATE sessions SET revoked_at = $3
       WHERE portal_id = $1 AND app_password_id = $2 AND revoked_at IS NULL RETURNING id`,
      [portalId, appPasswordId, now],
    );
    return rows.map((r) => r.id);
  }
}
