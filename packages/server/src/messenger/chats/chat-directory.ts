import type { DialogRef } from '@portaldesk/protocol';
import type { Database, Queryable } from '../../storage/database.ts';
import { CHAT_COLUMNS, type ChatRow, type MembershipRow, membershipOf, type OpenedDialog, toChat } from './chat.ts';
import { type DialogForSending, DialogsForSending } from './dialogs-for-sending.ts';

type OpenedRow = ChatRow & MembershipRow;

interface PrivateRow {
  companion_id: number;
  chat_id: number | null;
}

/** Finds chats and the caller's place in them; every lookup is scoped by portal. */
export class ChatDirectory {
  private readonly dialogsForSending: DialogsForSending;

  constructor(private readonly db: Database) {
    this.dialogsForSending = new DialogsForSending(db);
  }

  /**
   * The dialog `ref` as `userId` sees it, or `null` when it does not exist in this portal (a
   * one-to-one dialog with a user of the portal exists even before its first message).
   */
  async open(portalId: number, userId: number, ref: DialogRef, db: Queryable = this.db): Promise<OpenedDialog | null> {
    if (ref.kind === 'chat') return this.openChat(portalId, userId, ref.chatId, db);
    const [low, high] = ref.userId < userId ? [ref.userId, userId] : [userId, ref.userId];
    const [row] = await db.query<PrivateRow>(
      `SELECT u.id AS companion_id, d.chat_id FROM users u
       LEFT JOIN im_private_dialogs d ON d.user_low = $3 AND d.user_high = $4 AND d.portal_id = $1
       WHERE u.portal_id = $1 AND u.id = $2`,
      [portalId, ref.userId, low, high],
    );
    if (!row) return null;
    if (row.chat_id === null) return { chat: null, member: null, companionId: row.companion_id };
    const opened = await this.openChat(portalId, userId, row.chat_id, db, true);
    return opened && { ...opened, companionId: row.companion_id };
  }

  /**
   * Like {@link open}, with the author and, for a one-to-one dialog, the other user; the lookups
   * of sends that arrive together share one query.
   */
  openForSending(portalId: number, userId: number, ref: DialogRef): Promise<DialogForSending | null> {
    return this.dialogsForSending.open(portalId, userId, ref);
  }

  /** A group chat (or, with `includePrivate`, any chat) by id, with the user's membership. */
  async openChat(
    portalId: number,
    userId: number,
    chatId: number,
    db: Queryable = this.db,
    includePrivate = false,
  ): Promise<OpenedDialog | null> {
    const [row] = await db.query<OpenedRow>(
      `SELECT ${CHAT_COLUMNS}, m.role, m.start_id, m.last_read_id, m.unread_count
       FROM im_chats c LEFT JOIN im_chat_members m ON m.chat_id = c.id AND m.user_id = $3
       WHERE c.id = $2 AND c.portal_id = $1 AND c.type IN ('C', 'O'${includePrivate ? ", 'P'" : ''})`,
      [portalId, chatId, userId],
    );
    if (!row) return null;
    return { chat: toChat(row), member: membershipOf(row), companionId: null };
  }

  /** The chat of two users of a portal, created with both as members when it does not exist yet. */
  async ensurePrivateChat(portalId: number, userId: number, companionId: number): Promise<number> {
    const [low, high] = companionId < userId ? [companionId, userId] : [userId, companionId];
    const existing = await this.privateChatId(this.db, low, high);
    if (existing !== null) return existing;
    try {
      return await this.db.transaction(async (tx) => {
        const [chat] = await tx.query<{ id: number }>(
          `INSERT INTO im_chats (portal_id, type) VALUES ($1, 'P') RETURNING id`,
          [portalId],
        );
        const chatId = (chat as { id: number }).id;
        await tx.query(
          'INSERT INTO im_private_dialogs (user_low, user_high, portal_id, chat_id) VALUES ($1, $2, $3, $4)',
          [low, high, portalId, chatId],
        );
        await tx.query(
          `INSERT INTO im_chat_members (chat_id, user_id, portal_id)
           SELECT $1, id, $2 FROM unnest($3::int[]) AS id ON CONFLICT DO NOTHING`,
          [chatId, portalId, [...new Set([low, high])]],
        );
        return chatId;
      });
    } catch (error) {
      // Two first messages at once: the other one created the dialog.
      const raced = await this.privateChatId(this.db, low, high);
      if (raced !== null) return raced;
      throw error;
    }
  }

  private async privateChatId(db: Queryable, low: number, high: number): Promise<number | null> {
    const [row] = await db.query<{ chat_id: number }>(
      'SELECT chat_id FROM im_private_dialogs WHERE user_low = $1 AND user_high = $2',
      [low, high],
    );
    return row ? row.chat_id : null;
  }
}
