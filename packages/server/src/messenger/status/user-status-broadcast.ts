import { USER_STATUS_EVENT, type UserStatusEventParams } from '@portaldesk/protocol';
import type { EventLog } from '../../realtime/event-log.ts';
import type { Queryable } from '../../storage/database.ts';
import { loadImUsers } from '../users/im-user-view.ts';
import type { LiveUserStatus } from './live-user-status.ts';

/**
 * Tells the people who see a person that the person's status or presence changed: the active
 * users who share a dialog or chat with them, whose chat list, dialog header or members panel
 * shows their dot. (A picker of the whole portal reads statuses when it opens.) Sent live and
 * not stored: a client that reconnects reads statuses afresh through REST.
 */
export class UserStatusBroadcast {
  constructor(
    private readonly db: Queryable,
    private readonly live: LiveUserStatus,
    private readonly events: EventLog,
  ) {}

  /**
   * `includeSelf`: false for presence (their own clients know they are connected), true for a
   * status they set (their other devices show it).
   */
  async announce(portalId: number, userId: number, includeSelf = true): Promise<void> {
    const [user] = await loadImUsers(this.db, portalId, [userId]);
    if (!user) return;
    const view = await this.live.eventView(portalId, user);
    const rows = await this.db.query<{ user_id: number }>(
      `SELECT DISTINCT other.user_id
       FROM im_chat_members mine
       JOIN im_chat_members other ON other.chat_id = mine.chat_id AND other.user_id <> mine.user_id
       JOIN users u ON u.id = other.user_id AND u.active
       WHERE mine.user_id = $1 AND mine.portal_id = $2 AND other.portal_id = $2`,
      [userId, portalId],
    );
    const recipients = [...(includeSelf ? [userId] : []), ...rows.map((r) => r.user_id)];
    const params: UserStatusEventParams = { users: { [String(userId)]: view } };
    this.events.pushTransient(portalId, recipients, {
      moduleId: USER_STATUS_EVENT.moduleId,
      command: USER_STATUS_EVENT.command,
      params,
    });
  }
}
