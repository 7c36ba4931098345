import type { Clock } from '../clock/clock.ts';
import type { Queryable } from '../storage/database.ts';

export interface UserPresence {
  online: boolean;
  /** Whether one of the connections is the desktop application. */
  desktopOnline: boolean;
  /** Last time the user had a connection open (now, while online); null when never. */
  lastSeenAt: Date | null;
}

/**
 * Reads who is online and when users were last seen, as every server process has written it
 * (see PresenceStore). Needs no process of its own, so REST methods use it directly.
 */
export class PresenceReader {
  constructor(
    protected readonly db: Queryable,
    protected readonly clock: Clock,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  /**
   * Presence of users of one portal; users of other portals (checked against the users table,
   * whatever a presence row says) and users never seen are left out.
   */
  async lastSeen(portalId: number, userIds: readonly number[]): Promise<Map<number, UserPresence>> {
    const rows = await this.db.query<{ user_id: number; last_seen_at: Date; online: boolean; desktop: boolean }>(
      `SELECT p.user_id, p.last_seen_at,
              EXISTS (SELECT 1 FROM user_presence_instances i WHERE i.user_id = p.user_id AND i.expires_at > $3) AS online,
              EXISTS (SELECT 1 FROM user_presence_instances i WHERE i.user_id = p.user_id AND i.expires_at > $3
                      AND i.desktop_connections > 0) AS desktop
       FROM user_presence p JOIN users u ON u.id = p.user_id AND u.portal_id = $1
       WHERE p.portal_id = $1 AND p.user_id = ANY($2::int[])`,
      [portalId, userIds, this.clock.now()],
    );
    return new Map(
      rows.map((r) => [
        r.user_id,
        { online: r.online, desktopOnline: r.desktop, lastSeenAt: new Date(r.last_seen_at) },
      ]),
    );
  }
}
