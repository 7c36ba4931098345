import type { UserStatus } from '@portaldesk/protocol';
import type { Clock } from '../../clock/clock.ts';
import type { Queryable } from '../../storage/database.ts';

/** What a person chose (`status`) and since when they are idle (the automatic "away"). */
export interface ChosenStatus {
  status: UserStatus;
  idleSince: Date | null;
}

/** A person who never chose a status: online, not idle (Bitrix24's default). */
export const DEFAULT_STATUS: ChosenStatus = { status: 'online', idleSince: null };

/**
 * The statuses people chose in the messenger and their automatic "away", one row a person of
 * `user_statuses`. Every read and write names the portal, so an id of another portal is never
 * read or changed.
 */
export class UserStatusStore {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  /** The chosen statuses of the portal's users among `userIds`; users without a row are left out. */
  async of(portalId: number, userIds: readonly number[]): Promise<Map<number, ChosenStatus>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db.query<{ user_id: number; status: UserStatus; idle_since: Date | null }>(
      'SELECT user_id, status, idle_since FROM user_statuses WHERE portal_id = $1 AND user_id = ANY($2::int[])',
      [portalId, [...new Set(userIds)]],
    );
    return new Map(
      rows.map((r) => [r.user_id, { status: r.status, idleSince: r.idle_since ? new Date(r.idle_since) : null }]),
    );
  }

  async set(portalId: number, userId: number, status: UserStatus): Promise<void> {
    await this.upsert(portalId, userId, 'status = EXCLUDED.status', [status, null]);
  }

  /** The person went idle `minutesAgo` minutes ago; an earlier start already recorded is kept. */
  async idleStart(portalId: number, userId: number, minutesAgo: number): Promise<void> {
    const since = new Date(this.clock.now().getTime() - minutesAgo * 60_000);
    await this.upsert(
      portalId,
      userId,
      'idle_since = LEAST(coalesce(user_statuses.idle_since, EXCLUDED.idle_since), EXCLUDED.idle_since)',
      ['online', since],
    );
  }

  async idleEnd(portalId: number, userId: number): Promise<void> {
    await this.upsert(portalId, userId, 'idle_since = NULL', ['online', null]);
  }

  /** Inserts the person's row (with `status` and `idleSince` for a new one) or applies `change` to it. */
  private async upsert(
    portalId: number,
    userId: number,
    change: string,
    [status, idleSince]: [UserStatus, Date | null],
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO user_statuses (user_id, portal_id, status, idle_since, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id) DO UPDATE SET ${change}, updated_at = EXCLUDED.updated_at
       WHERE user_statuses.portal_id = EXCLUDED.portal_id`,
      [userId, portalId, status, idleSince, this.clock.now()],
    );
  }
}
