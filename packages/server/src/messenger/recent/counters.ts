import type { ImCounters } from '@portaldesk/protocol';
import type { Database } from '../../storage/database.ts';
import type { Notifier } from '../notifications/notifier.ts';
import { phpMap } from '../php-map.ts';

/** The user's unread counters, read from the counters kept on each membership. */
export class CounterReader {
  constructor(
    private readonly db: Database,
    private readonly notifier: Notifier,
  ) {}

  async read(portalId: number, userId: number): Promise<ImCounters> {
    const rows = await this.db.query<{
      chat_id: number;
      type: string;
      unread_count: number;
      companion_id: number | null;
    }>(
      `SELECT m.chat_id, c.type, m.unread_count,
              CASE WHEN d.user_low = $1 THEN d.user_high ELSE d.user_low END AS companion_id
       FROM im_chat_members m JOIN im_chats c ON c.id = m.chat_id
       LEFT JOIN im_private_dialogs d ON c.type = 'P' AND d.chat_id = c.id
       WHERE m.user_id = $1 AND m.portal_id = $2 AND m.unread_count > 0`,
      [userId, portalId],
    );
    const chats: Record<string, number> = {};
    const dialogs: Record<string, number> = {};
    for (const row of rows) {
      if (row.type === 'P') dialogs[String(row.companion_id ?? userId)] = row.unread_count;
      else chats[String(row.chat_id)] = row.unread_count;
    }
    const sum = (map: Record<string, number>) => Object.values(map).reduce((a, b) => a + b, 0);
    const notify = await this.notifier.unreadCount(this.db, userId);
    const chat = sum(chats);
    const dialog = sum(dialogs);
    return {
      TYPE: {
        ALL: notify + chat + dialog,
        NOTIFY: notify,
        CHAT: chat,
        LINES: 0,
        DIALOG: dialog,
        MESSENGER: chat + dialog,
      },
      CHAT: phpMap(chats),
      CHAT_MUTED: [],
      CHAT_UNREAD: [],
      LINES: [],
      DIALOG: phpMap(dialogs),
      DIALOG_UNREAD: [],
    };
  }
}
