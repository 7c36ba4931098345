import type { ImUserView } from '@portaldesk/protocol';
import type { EventLog } from '../../realtime/event-log.ts';
import type { RecordedEvents } from '../../realtime/push-event.ts';
import type { Queryable } from '../../storage/database.ts';
import type { Chat } from '../chats/chat.ts';
import { NOTIFY_TYPE_FROM_USER } from '../notifications/notification.ts';
import type { Notifier } from '../notifications/notifier.ts';
import { mentionedUserIds } from './mentions.ts';
import { type PostedMessage, recipientMessageEventParams, sharedMessageEventParams } from './message-event.ts';

export interface MessageToPost {
  chat: Chat;
  /** The writer; 0 for a message of the system (join, leave). */
  authorId: number;
  companionId: number | null;
  text: string;
  params: Record<string, unknown>;
  replyId: number | null;
  uuid: string | null;
  system: boolean;
  /** False for messages that should not raise anyone's unread counter (join, leave). */
  countsAsUnread: boolean;
  date: Date;
  /** Users to describe in the event (the author, the other side of a dialog). */
  users: readonly ImUserView[];
}

export type PostOutcome =
  | { kind: 'posted'; message: PostedMessage; recorded: RecordedEvents[] }
  | { kind: 'duplicate' };

interface PostRow {
  id: number;
  prev_id: number;
  inserted: number;
  user_id: number;
  unread_count: number;
}

/**
 * Writes a message and everything that follows from it inside the caller's transaction, in few
 * statements: one for the message, the chat's last message and every member's counter and read
 * position; one for the members' events (what they share stored once); and, only when someone is mentioned, their notifications.
 */
export class MessagePoster {
  constructor(
    private readonly events: EventLog,
    private readonly notifier: Notifier,
  ) {}

  async post(tx: Queryable, input: MessageToPost): Promise<PostOutcome> {
    const { chat } = input;
    // The chat row is locked first and the id drawn under that lock, so ids in a chat grow in
    // commit order and `prevId` is always the message before.
    const rows = await tx.query<PostRow>(
      `WITH chat AS (
         UPDATE im_chats c SET prev_message_id = c.last_message_id, last_message_id = nextval('im_messages_id_seq'),
           message_count = c.message_count + 1, last_activity_at = $9
         WHERE c.id = $2 AND c.portal_id = $1
         RETURNING c.last_message_id AS id, c.prev_message_id AS prev_id
       ), msg AS (
         INSERT INTO im_messages (id, portal_id, chat_id, author_id, is_system, text, params, reply_id, uuid, created_at)
         SELECT chat.id, $1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9 FROM chat
         ON CONFLICT (author_id, uuid) WHERE uuid IS NOT NULL DO NOTHING
         RETURNING id
       ), members AS (
         UPDATE im_chat_members m SET
           unread_count = CASE WHEN m.user_id = $3 THEN 0 WHEN $10::boolean THEN m.unread_count + 1 ELSE m.unread_count END,
           last_read_id = CASE WHEN m.user_id = $3 THEN chat.id ELSE m.last_read_id END
         FROM chat WHERE m.chat_id = $2
         RETURNING m.user_id, m.unread_count
       )
       SELECT chat.id, chat.prev_id, (SELECT count(*) FROM msg)::int AS inserted, members.user_id, members.unread_count
       FROM chat CROSS JOIN members`,
      [
        chat.portalId,
        chat.id,
        input.authorId,
        input.system,
        input.text,
        JSON.stringify(input.params),
        input.replyId,
        input.uuid,
        input.date,
        input.countsAsUnread,
      ],
    );
    const first = rows[0];
    if (!first) throw new Error(`Chat ${chat.id} has no members to post to`);
    if (first.inserted === 0) return { kind: 'duplicate' };
    const message: PostedMessage = {
      id: Number(first.id),
      prevId: Number(first.prev_id),
      chat,
      authorId: input.authorId,
      companionId: input.companionId,
      system: input.system,
      date: input.date,
      text: input.text,
      params: input.params,
      uuid: input.uuid,
    };
    const memberIds = rows.map((r) => r.user_id);
    const shared = { ...sharedMessageEventParams(message, input.users, memberIds) };
    const perUser = new Map(
      rows.map((r) => [r.user_id, { ...recipientMessageEventParams(message, r.user_id, r.unread_count) }]),
    );
    const command = chat.type === 'P' ? 'message' : 'messageChat';
    const recorded = [await this.events.recordShared(tx, chat.portalId, 'im', command, shared, perUser)];
    if (chat.type !== 'P' && !input.system) {
      recorded.push(...(await this.notifyMentioned(tx, message, memberIds, input.users)));
    }
    return { kind: 'posted', message, recorded };
  }

  /** Members named with `[USER=ID]` hear of it in their notifications. */
  private async notifyMentioned(
    tx: Queryable,
    message: PostedMessage,
    memberIds: readonly number[],
    users: readonly ImUserView[],
  ): Promise<RecordedEvents[]> {
    const members = new Set(memberIds);
    const mentioned = mentionedUserIds(message.text).filter((id) => members.has(id) && id !== message.authorId);
    const author = users.find((u) => u.id === message.authorId) ?? null;
    const recorded: RecordedEvents[] = [];
    for (const userId of mentioned) {
      const added = await this.notifier.addInTransaction(
        tx,
        {
          portalId: message.chat.portalId,
          userId,
          authorId: message.authorId,
          notifyType: NOTIFY_TYPE_FROM_USER,
          module: 'im',
          event: 'mention',
          tag: `IM|MENTION|${message.chat.id}|${message.id}`,
          subTag: null,
          title: '',
          text: `Mentioned you in the chat [CHAT=${message.chat.id}]${message.chat.title}[/CHAT]: ${message.text}`,
          textOut: '',
          params: { CHAT_ID: message.chat.id, MESSAGE_ID: message.id },
        },
        author,
      );
      recorded.push(...added.recorded);
    }
    return recorded;
  }
}
