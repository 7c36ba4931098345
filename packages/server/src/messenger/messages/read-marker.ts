import type { ImDialogReadResult, ImReadEventParams, ImReadOpponentEventParams } from '@portaldesk/protocol';
import type { Clock } from '../../clock/clock.ts';
import type { EventLog } from '../../realtime/event-log.ts';
import type { RecordedEvents } from '../../realtime/push-event.ts';
import type { Database, Queryable } from '../../storage/database.ts';
import { fullName } from '../../users/user.ts';
import { atomDate } from '../atom-date.ts';
import type { Chat } from '../chats/chat.ts';

interface MemberRow {
  last_read_id: number;
  start_id: number;
  unread_count: number;
}

/** Moves a member's read position forward and keeps their unread counter right. */
export class ReadMarker {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly events: EventLog,
  ) {}

  /**
   * Marks the chat read up to `upToId` (everything when `null`). The reader's clients get
   * `readMessage`/`readMessageChat` with the new counter; the other members get
   * `readMessageOpponent`/`readMessageChatOpponent`. `null` when the user is not a member.
   */
  async read(
    portalId: number,
    userId: number,
    chat: Chat,
    dialogId: number | string,
    upToId: number | null,
  ): Promise<ImDialogReadResult | null> {
    const outcome = await this.db.transaction(async (tx) => {
      const [member] = await tx.query<MemberRow>(
        'SELECT last_read_id, start_id, unread_count FROM im_chat_members WHERE chat_id = $1 AND user_id = $2 FOR UPDATE',
        [chat.id, userId],
      );
      if (!member) return null;
      const [last] = await tx.query<{ last_message_id: number }>('SELECT last_message_id FROM im_chats WHERE id = $1', [
        chat.id,
      ]);
      const target = Math.min(upToId ?? Number.MAX_SAFE_INTEGER, Number(last?.last_message_id ?? 0));
      const previous = Number(member.last_read_id);
      if (target <= previous) {
        return { lastId: previous, counter: member.unread_count, recorded: [] as RecordedEvents[] };
      }
      const viewed = await tx.query<{ id: number }>(
        `SELECT id FROM im_messages WHERE chat_id = $1 AND id > $2 AND id <= $3 AND id >= $4
         AND author_id NOT IN ($5, 0) ORDER BY id`,
        [chat.id, previous, target, member.start_id, userId],
      );
      const [counted] = await tx.query<{ unread_count: number }>(
        `UPDATE im_chat_members SET last_read_id = $3, unread_count = (
           SELECT count(*)::int FROM im_messages
           WHERE chat_id = $1 AND id > $3 AND id >= $4 AND author_id NOT IN ($2, 0) AND deleted_at IS NULL
         ) WHERE chat_id = $1 AND user_id = $2 RETURNING unread_count`,
        [chat.id, userId, target, member.start_id],
      );
      const counter = counted?.unread_count ?? 0;
      const viewedIds = viewed.map((v) => Number(v.id));
      const recorded = await this.recordRead(tx, portalId, userId, chat, dialogId, target, counter, viewedIds);
      return { lastId: target, counter, recorded };
    });
    // Left the chat between opening it and reading it.
    if (!outcome) return null;
    for (const r of outcome.recorded) this.events.announce(r);
    return { dialogId: String(dialogId), chatId: chat.id, lastId: outcome.lastId, counter: outcome.counter };
  }

  private async recordRead(
    tx: Queryable,
    portalId: number,
    userId: number,
    chat: Chat,
    dialogId: number | string,
    lastId: number,
    counter: number,
    viewedMessages: number[],
  ): Promise<RecordedEvents[]> {
    const isPrivate = chat.type === 'P';
    const self: ImReadEventParams = {
      dialogId,
      chatId: chat.id,
      lastId,
      counter,
      muted: false,
      unread: false,
      viewedMessages,
    };
    if (isPrivate) Object.assign(self, { senderId: userId, id: dialogId, userId: dialogId });
    const others = await tx.query<{ user_id: number; first_name: string; last_name: string }>(
      `SELECT m.user_id, r.first_name, r.last_name FROM im_chat_members m, users r
       WHERE m.chat_id = $1 AND m.user_id <> $2 AND r.id = $2`,
      [chat.id, userId],
    );
    const [reader] = others;
    const opponent: ImReadOpponentEventParams = {
      dialogId: isPrivate ? userId : `chat${chat.id}`,
      chatId: chat.id,
      userId,
      userName: reader ? fullName({ firstName: reader.first_name, lastName: reader.last_name }) : '',
      lastId,
      date: atomDate(this.clock.now()),
      viewedMessages,
    };
    const recorded = [
      await this.events.record(tx, portalId, [userId], {
        moduleId: 'im',
        command: isPrivate ? 'readMessage' : 'readMessageChat',
        params: { ...self },
      }),
    ];
    if (others.length > 0) {
      recorded.push(
        await this.events.record(
          tx,
          portalId,
          others.map((o) => o.user_id),
          {
            moduleId: 'im',
            command: isPrivate ? 'readMessageOpponent' : 'readMessageChatOpponent',
            params: { ...opponent },
          },
        ),
      );
    }
    return recorded;
  }
}
