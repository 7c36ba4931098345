import { USER_STATUS_EVENT, type UserStatusEventParams } from '@portaldesk/protocol';
import type { EventLog } from '../../realtime/event-log.ts';
import type { Queryable } from '../../storage/database.ts';
import { loadImUsers } from '../users/im-user-view.ts';
import { LiveUserStatus } from './live-user-status.ts';

/**
 * Tells the people who can see a person that the person's status or presence changed: every
 * active user of the same portal (colleagues see each other in the chat list and the pickers),
 * the person's own other clients included. Sent live and not stored: a client that reconnects
 * reads statuses afresh through REST.
 */
export class UserStatusBroadcast {
  constructor(
    private readonly db: Queryable,
    private readonly live: LiveUserStatus,
    private readonly events: EventLog,
  ) {}

  async announce(portalId: number, userId: number): Promise<void> {
    const [user] = await loadImUsers(this.db, portalId, [userId]);
    if (!user) return;
    const [view] = await this.live.decorate(portalId, [user]);
    if (!view) return;
    const rows = await this.db.query<{ id: number }>('SELECT id FROM users WHERE portal_id = $1 AND active', [
      portalId,
    ]);
    const params: UserStatusEventParams = { users: { [String(userId)]: LiveUserStatus.eventView(view) } };
    this.events.pushTransient(
      portalId,
      rows.map((r) => r.id),
      { moduleId: USER_STATUS_EVENT.moduleId, command: USER_STATUS_EVENT.command, params },
    );
  }
}
