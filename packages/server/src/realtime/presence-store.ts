import type { Clock } from '../clock/clock.ts';
import type { Database } from '../storage/database.ts';
import { PresenceReader } from './presence-reader.ts';

export interface OtherInstances {
  online: boolean;
  desktopOnline: boolean;
}

/**
 * Who is online and when each user was last seen, shared by every server process through the
 * database. Each process writes one row per user it holds connections for and keeps it fresh with
 * a heartbeat; a process that dies stops refreshing and its rows lapse after `ttlMs`. Other code
 * (`im.user.get`'s `last_activity_date`) reads it through {@link PresenceReader}.
 */
export class PresenceStore extends PresenceReader {
  constructor(
    protected override readonly db: Database,
    clock: Clock,
    private readonly instanceId: string,
    private readonly ttlMs: number,
  ) {
    super(db, clock);
  }

  /** Records this process's connections for the user; answers what the other processes hold. */
  async setLocal(portalId: number, userId: number, connections: number, desktop: number): Promise<OtherInstances> {
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      if (connections > 0) {
        await tx.query(
          `INSERT INTO user_presence_instances (user_id, instance_id, portal_id, connections, desktop_connections, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (user_id, instance_id) DO UPDATE
             SET connections = EXCLUDED.connections, desktop_connections = EXCLUDED.desktop_connections,
                 expires_at = EXCLUDED.expires_at`,
          [userId, this.instanceId, portalId, connections, desktop, new Date(now.getTime() + this.ttlMs)],
        );
      } else {
        await tx.query('DELETE FROM user_presence_instances WHERE user_id = $1 AND instance_id = $2', [
          userId,
          this.instanceId,
        ]);
      }
      await tx.query(
        `INSERT INTO user_presence (user_id, portal_id, last_seen_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET last_seen_at = GREATEST(user_presence.last_seen_at, EXCLUDED.last_seen_at)`,
        [userId, portalId, now],
      );
      const [others] = await tx.query<{ online: boolean; desktop: boolean }>(
        `SELECT count(*) > 0 AS online, coalesce(sum(desktop_connections), 0) > 0 AS desktop
         FROM user_presence_instances WHERE user_id = $1 AND instance_id <> $2 AND expires_at > $3`,
        [userId, this.instanceId, now],
      );
      return { online: Boolean(others?.online), desktopOnline: Boolean(others?.desktop) };
    });
  }

  /** Keeps this process's rows alive and moves the users' last-seen time forward. */
  async heartbeat(userIds: readonly number[]): Promise<void> {
    if (userIds.length === 0) return;
    const now = this.clock.now();
    await this.db.query('UPDATE user_presence_instances SET expires_at = $1 WHERE instance_id = $2', [
      new Date(now.getTime() + this.ttlMs),
      this.instanceId,
    ]);
    await this.db.query(
      'UPDATE user_presence SET last_seen_at = GREATEST(last_seen_at, $1) WHERE user_id = ANY($2::int[])',
      [now, userIds],
    );
  }

  /** Drops this process's rows (clean shutdown). */
  async forgetInstance(): Promise<void> {
    await this.db.query('DELETE FROM user_presence_instances WHERE instance_id = $1', [this.instanceId]);
  }
}
