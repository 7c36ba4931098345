import { DELETED_MESSAGE_TEXT, type ImMessageChangeEventParams } from '@portaldesk/protocol';
import type { Clock } from '../../clock/clock.ts';
import type { EventLog } from '../../realtime/event-log.ts';
import type { Database, Queryable } from '../../storage/database.ts';
import { imError } from '../messenger-error.ts';

interface EditableRow {
  id: number;
  chat_id: number;
  chat_type: 'P' | 'C' | 'O';
  author_id: number;
  text: string;
  params: Record<string, unknown>;
  deleted_at: Date | null;
  role: string | null;
}

export interface MessageChange {
  text?: string;
  /** Params to set (`null` removes one). */
  params: Record<string, unknown | null>;
  markEdited: boolean;
}

/**
 * Edits and deletes messages. Only the author edits; the author or a chat's owner or manager
 * deletes. The previous text and params are kept in `im_message_versions`, and every member
 * hears of the change (`messageUpdate`, `messageDelete`).
 */
export class MessageEditor {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly events: EventLog,
  ) {}

  async update(portalId: number, userId: number, messageId: number, change: MessageChange): Promise<void> {
    const recorded = await this.db.transaction(async (tx) => {
      const row = await this.lockEditable(tx, portalId, userId, messageId);
      if (row.author_id !== userId) throw cantEdit();
      const params = { ...row.params };
      for (const [key, value] of Object.entries(change.params)) {
        if (value === null) delete params[key];
        else params[key] = value;
      }
      if (change.markEdited) params.IS_EDITED = 'Y';
      const text = change.text ?? row.text;
      await this.keepVersion(tx, portalId, userId, row, 'edit');
      await tx.query('UPDATE im_messages SET text = $2, params = $3::jsonb, edited_at = $4 WHERE id = $1', [
        messageId,
        text,
        JSON.stringify(params),
        this.clock.now(),
      ]);
      return this.recordChange(tx, portalId, row, 'messageUpdate', text, params);
    });
    this.events.announce(recorded);
  }

  async delete(portalId: number, userId: number, messageId: number): Promise<void> {
    const recorded = await this.db.transaction(async (tx) => {
      const row = await this.lockEditable(tx, portalId, userId, messageId);
      const moderates = row.chat_type !== 'P' && (row.role === 'owner' || row.role === 'manager');
      if (row.author_id !== userId && !moderates) throw cantEdit();
      const params = { ...row.params, IS_DELETED: 'Y' };
      await this.keepVersion(tx, portalId, userId, row, 'delete');
      await tx.query('UPDATE im_messages SET text = $2, params = $3::jsonb, deleted_at = $4 WHERE id = $1', [
        messageId,
        DELETED_MESSAGE_TEXT,
        JSON.stringify(params),
        this.clock.now(),
      ]);
      await this.uncount(tx, row);
      return this.recordChange(tx, portalId, row, 'messageDelete', DELETED_MESSAGE_TEXT, params);
    });
    this.events.announce(recorded);
  }

  /**
   * A deleted message no longer counts as unread: the members who had not read it (and could see
   * it, and did not write it) get their counter lowered, as reading it would have.
   */
  private async uncount(tx: Queryable, row: EditableRow): Promise<void> {
    // Messages of the system (author 0) never counted.
    if (row.author_id === 0) return;
    await tx.query(
      `UPDATE im_chat_members SET unread_count = unread_count - 1
       WHERE chat_id = $1 AND user_id <> $2 AND last_read_id < $3 AND start_id <= $3 AND unread_count > 0`,
      [row.chat_id, row.author_id, row.id],
    );
  }

  /** The message, locked, if the user may see it; deleted messages cannot change again. */
  private async lockEditable(tx: Queryable, portalId: number, userId: number, messageId: number) {
    const [row] = await tx.query<EditableRow>(
      `SELECT msg.id, msg.chat_id, c.type AS chat_type, msg.author_id, msg.text, msg.params, msg.deleted_at, m.role
       FROM im_messages msg JOIN im_chats c ON c.id = msg.chat_id
       LEFT JOIN im_chat_members m ON m.chat_id = msg.chat_id AND m.user_id = $3
       WHERE msg.id = $1 AND msg.portal_id = $2
       FOR UPDATE OF msg`,
      [messageId, portalId, userId],
    );
    if (!row || row.role === null || row.deleted_at !== null) throw cantEdit();
    return row;
  }

  private async keepVersion(tx: Queryable, portalId: number, userId: number, row: EditableRow, change: string) {
    await tx.query(
      `INSERT INTO im_message_versions (message_id, portal_id, changed_by, change, text, params)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
      [row.id, portalId, userId, change, row.text, JSON.stringify(row.params)],
    );
  }

  private async recordChange(
    tx: Queryable,
    portalId: number,
    row: EditableRow,
    command: 'messageUpdate' | 'messageDelete',
    text: string,
    params: Record<string, unknown>,
  ) {
    const members = await tx.query<{ user_id: number; unread_count: number }>(
      'SELECT user_id, unread_count FROM im_chat_members WHERE chat_id = $1',
      [row.chat_id],
    );
    const ids = members.map((m) => m.user_id);
    const perUser = new Map<number, Record<string, unknown>>();
    for (const { user_id: userId, unread_count: counter } of members) {
      const base: ImMessageChangeEventParams = {
        id: Number(row.id),
        type: row.chat_type === 'P' ? 'private' : 'chat',
        text,
        chatId: row.chat_id,
        dialogId: `chat${row.chat_id}`,
        senderId: row.author_id,
        params,
      };
      // As `messageDeleteComplete` does in Bitrix24: the recipient's counter for the chat after the change.
      if (command === 'messageDelete') base.counter = counter;
      if (row.chat_type === 'P') {
        // Each side of a dialog sees the other side's id as the dialog id.
        const other = ids.find((id) => id !== userId) ?? userId;
        base.dialogId = other;
        base.fromUserId = other;
        base.toUserId = userId;
      }
      perUser.set(userId, { ...base });
    }
    return this.events.recordEach(tx, portalId, 'im', command, perUser);
  }
}

function cantEdit() {
  return imError('CANT_EDIT_MESSAGE', "Time has expired for modification or you don't have access");
}
