import { createHash } from 'node:crypto';
import type { ImNotificationView, ImNotifyAddEventParams, ImNotifyList, ImUserView } from '@portaldesk/protocol';
import type { EventLog } from '../../realtime/event-log.ts';
import type { RecordedEvents } from '../../realtime/push-event.ts';
import type { Database, Queryable } from '../../storage/database.ts';
import { atomDate } from '../atom-date.ts';
import { loadImUsers } from '../users/im-user-view.ts';
import { type NewNotification, NOTIFICATION_COLUMNS, type NotificationRow } from './notification.ts';

/** Personal and system notifications: stored per user, replaced by tag, read and unread. */
export class Notifier {
  constructor(
    private readonly db: Database,
    private readonly events: EventLog,
  ) {}

  /** Adds a notification in its own transaction and announces it; returns its id. */
  async add(input: NewNotification): Promise<number> {
    const author = input.authorId > 0 ? await loadImUsers(this.db, input.portalId, [input.authorId]) : [];
    const { id, recorded } = await this.db.transaction((tx) => this.addInTransaction(tx, input, author[0] ?? null));
    for (const r of recorded) this.events.announce(r);
    return id;
  }

  /** Adds a notification inside the caller's transaction; the caller announces `recorded` after commit. */
  async addInTransaction(
    tx: Queryable,
    input: NewNotification,
    author: ImUserView | null,
  ): Promise<{ id: number; recorded: RecordedEvents[] }> {
    const chatId = await this.ensureNotifyChat(tx, input.portalId, input.userId);
    const replaced = input.tag
      ? await tx.query<{ id: number }>(
          'DELETE FROM im_notifications WHERE user_id = $1 AND portal_id = $2 AND tag = $3 RETURNING id',
          [input.userId, input.portalId, input.tag],
        )
      : [];
    const [row] = await tx.query<NotificationRow>(
      `INSERT INTO im_notifications
         (portal_id, user_id, chat_id, author_id, notify_type, module, event, tag, sub_tag, title, text, text_out, params)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb)
       RETURNING ${NOTIFICATION_COLUMNS}`,
      [
        input.portalId,
        input.userId,
        chatId,
        input.authorId,
        input.notifyType,
        input.module,
        input.event,
        input.tag,
        input.subTag,
        input.title,
        input.text,
        input.textOut,
        input.params === null ? null : JSON.stringify(input.params),
      ],
    );
    const notification = row as NotificationRow;
    const counter = await this.unreadCount(tx, input.userId);
    const recorded: RecordedEvents[] = [];
    if (replaced.length > 0) {
      recorded.push(
        await this.events.record(tx, input.portalId, [input.userId], {
          moduleId: 'im',
          command: 'notifyDelete',
          params: { chatId, id: Object.fromEntries(replaced.map((r) => [String(r.id), Number(r.id)])), counter },
        }),
      );
    }
    recorded.push(
      await this.events.record(tx, input.portalId, [input.userId], {
        moduleId: 'im',
        command: 'notifyAdd',
        params: { ...notifyAddParams(notification, author, counter) },
      }),
    );
    return { id: Number(notification.id), recorded };
  }

  /**
   * Marks the user's notification `id` (or, unless `onlyCurrent`, every one from `id` on) read or
   * unread, and tells the user's clients which ones changed.
   */
  async markRead(portalId: number, userId: number, id: number, read: boolean, onlyCurrent: boolean): Promise<void> {
    const recorded = await this.db.transaction(async (tx) => {
      const changed = await tx.query<{ id: number; chat_id: number }>(
        `UPDATE im_notifications SET is_read = $4
         WHERE user_id = $1 AND portal_id = $2 AND ${onlyCurrent ? 'id = $3' : 'id >= $3'} AND is_read <> $4
         RETURNING id, chat_id`,
        [userId, portalId, id, read],
      );
      if (changed.length === 0) return null;
      const counter = await this.unreadCount(tx, userId);
      return this.events.record(tx, portalId, [userId], {
        moduleId: 'im',
        command: read ? 'notifyRead' : 'notifyUnread',
        params: {
          chatId: changed[0]?.chat_id ?? 0,
          list: changed.map((r) => Number(r.id)).sort((a, b) => a - b),
          counter,
        },
      });
    });
    if (recorded) this.events.announce(recorded);
  }

  /** The user's notifications, newest first, `limit` at a time, older than `beforeId` when given. */
  async list(portalId: number, userId: number, beforeId: number | null, limit: number): Promise<ImNotifyList> {
    const params: unknown[] = [userId, portalId, limit];
    if (beforeId !== null) params.push(beforeId);
    const rows = await this.db.query<NotificationRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM im_notifications
       WHERE user_id = $1 AND portal_id = $2 ${beforeId !== null ? 'AND id < $4' : ''}
       ORDER BY id DESC LIMIT $3`,
      params,
    );
    const [totals] = await this.db.query<{ total: number; unread: number; chat_id: number | null }>(
      `SELECT count(*)::int AS total, (count(*) FILTER (WHERE NOT is_read))::int AS unread,
              (SELECT id FROM im_chats WHERE owner_id = $1 AND type = 'N' AND portal_id = $2) AS chat_id
       FROM im_notifications WHERE user_id = $1 AND portal_id = $2`,
      [userId, portalId],
    );
    const users = await loadImUsers(
      this.db,
      portalId,
      rows.map((r) => r.author_id),
    );
    const list: ImNotifyList = {
      total_count: totals?.total ?? 0,
      total_unread_count: totals?.unread ?? 0,
      notifications: rows.map(notificationView),
      users,
    };
    if (totals?.chat_id != null && list.total_count > 0) list.chat_id = totals.chat_id;
    return list;
  }

  async unreadCount(db: Queryable, userId: number): Promise<number> {
    const [row] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM im_notifications WHERE user_id = $1 AND NOT is_read',
      [userId],
    );
    return row?.n ?? 0;
  }

  /** Each user's notifications live in a chat of their own, as in Bitrix24. */
  private async ensureNotifyChat(tx: Queryable, portalId: number, userId: number): Promise<number> {
    const [row] = await tx.query<{ id: number }>(
      `WITH created AS (
         INSERT INTO im_chats (portal_id, type, owner_id) VALUES ($1, 'N', $2)
         ON CONFLICT (owner_id) WHERE type = 'N' DO NOTHING RETURNING id
       )
       SELECT id FROM created UNION ALL SELECT id FROM im_chats WHERE owner_id = $2 AND type = 'N' LIMIT 1`,
      [portalId, userId],
    );
    return (row as { id: number }).id;
  }
}

function notificationView(row: NotificationRow): ImNotificationView {
  return {
    id: Number(row.id),
    chat_id: row.chat_id,
    author_id: row.author_id,
    date: atomDate(new Date(row.created_at)),
    notify_type: row.notify_type,
    notify_module: row.module,
    notify_event: row.event,
    notify_tag: row.tag ?? '',
    notify_sub_tag: row.sub_tag ?? '',
    notify_title: row.title,
    setting_name: `${row.module}|${row.event}`,
    text: row.text,
    notify_read: row.is_read ? 'Y' : 'N',
    params: row.params,
  };
}

function notifyAddParams(row: NotificationRow, author: ImUserView | null, counter: number): ImNotifyAddEventParams {
  const tag = row.tag ?? '';
  return {
    id: Number(row.id),
    chatId: row.chat_id,
    type: row.notify_type,
    date: atomDate(new Date(row.created_at)),
    silent: 'N',
    onlyFlash: false,
    link: '',
    text: row.text,
    tag: tag ? createHash('md5').update(tag).digest('hex') : '',
    originalTag: tag,
    original_tag: tag,
    read: row.is_read ? 'Y' : 'N',
    settingName: `${row.module}|${row.event}`,
    params: row.params ?? [],
    counter,
    users: author ? [author] : [],
    userId: author?.id ?? null,
    userName: author?.name ?? null,
    userColor: author?.color ?? null,
    userAvatar: author ? author.avatar : null,
    userLink: null,
    title: row.title,
  };
}
