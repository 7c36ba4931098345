import type { ImFileView, ImUserView } from '@portaldesk/protocol';
import type { EventLog, SharedEvent } from '../../realtime/event-log.ts';
import type { RecordedEvents } from '../../realtime/push-event.ts';
import type { Queryable, Transaction } from '../../storage/database.ts';
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
  /** Files posted with the message; its event lists them. */
  files?: readonly ImFileView[];
}

export type PostOutcome =
  | { kind: 'posted'; message: PostedMessage; recorded: RecordedEvents[] }
  | { kind: 'duplicate' };

interface PostRow {
  input: number;
  id: number;
  prev_id: number;
  inserted: number;
  user_id: number;
  unread_count: number;
}

/**
 * A message with this author and uuid was being written by another transaction at the same time
 * and won: nothing of this post may stay. Thrown so that the caller's transaction rolls back.
 */
export class ConcurrentRepeatedSend extends Error {
  constructor() {
    super('A send with the same uuid was committed at the same time');
  }
}

/**
 * Writes messages and everything that follows from them inside the caller's transaction, in few
 * statements however many messages there are: one for the messages, their chats' last message and
 * every member's counter and read position; one for the members' events (what they share stored
 * once); and, only when someone is mentioned, their notifications.
 */
export class MessagePoster {
  constructor(
    private readonly events: EventLog,
    private readonly notifier: Notifier,
  ) {}

  async post(tx: Queryable, input: MessageToPost): Promise<PostOutcome> {
    const [outcome] = await this.postMany(tx, [input]);
    if (!outcome) throw new Error('postMany returned no outcome');
    return outcome;
  }

  /**
   * Posts messages to distinct chats (the caller's group commit makes sure), in the order given.
   * A message whose author already sent its uuid comes back `duplicate` and changes nothing.
   * With `ends`, the posting is all its transaction does: its last statement commits it too,
   * one round trip to the database fewer.
   */
  async postMany(
    tx: Queryable,
    inputs: readonly MessageToPost[],
    ends?: Pick<Transaction, 'queryThenCommit'>,
  ): Promise<PostOutcome[]> {
    const rows = await this.writeMessages(tx, inputs);
    const rowsOf = new Map<number, PostRow[]>();
    for (const row of rows) {
      const own = rowsOf.get(row.input);
      if (own) own.push(row);
      else rowsOf.set(row.input, [row]);
    }
    if (rows.some((r) => r.inserted < rowsOf.size)) throw new ConcurrentRepeatedSend();
    const posted = inputs.flatMap((input, index) => {
      const own = rowsOf.get(index);
      if (!own?.[0]) {
        // Only a repeated uuid is left out on purpose; anything else is a chat without members.
        if (input.uuid === null) throw new Error(`Chat ${input.chat.id} has no members to post to`);
        return [];
      }
      const message = postedMessage(input, own[0]);
      return [{ index, input, own, message, mentioned: mentionedMembers(message, own) }];
    });
    // The events' statement is the last one unless someone mentioned is to be notified.
    const last = ends && posted.every((p) => p.mentioned.length === 0) ? ends : null;
    const recorded = await this.events.recordSharedMany(
      last ? { query: last.queryThenCommit, exec: tx.exec } : tx,
      posted.map(({ message, own, input }) => messageEvent(message, own, input.users)),
    );
    const outcomes: PostOutcome[] = inputs.map(() => ({ kind: 'duplicate' }));
    for (const [n, { index, input, message, mentioned }] of posted.entries()) {
      const events = recorded[n] ? [recorded[n]] : [];
      if (mentioned.length > 0) events.push(...(await this.notifyMentioned(tx, message, mentioned, input.users)));
      outcomes[index] = { kind: 'posted', message, recorded: events };
    }
    return outcomes;
  }

  /**
   * One statement for all the messages. Each chat row is locked (in id order, so that concurrent
   * group commits cannot deadlock) and the message id drawn under that lock, so ids in a chat grow
   * in commit order and `prevId` is always the message before.
   */
  private writeMessages(tx: Queryable, inputs: readonly MessageToPost[]): Promise<PostRow[]> {
    return tx.query<PostRow>(
      `WITH input AS (
         SELECT t.*, t.ord - 1 AS input
         FROM unnest($1::int[], $2::int[], $3::int[], $4::boolean[], $5::text[], $6::text[], $7::int[], $8::text[],
                     $9::timestamptz[], $10::boolean[])
           WITH ORDINALITY AS t(portal_id, chat_id, author_id, is_system, text, params, reply_id, uuid, created_at,
                                counts_as_unread, ord)
         -- A uuid already stored is looked up by index (LATERAL … LIMIT 1); as NOT EXISTS, the plan
         -- made once on a near-empty database scanned every message on each send.
         LEFT JOIN LATERAL (
           SELECT 1 AS taken FROM im_messages x WHERE x.author_id = t.author_id AND x.uuid = t.uuid LIMIT 1
         ) stored ON true
         WHERE t.uuid IS NULL OR stored.taken IS NULL
       ), locked AS (
         -- Each chat by its key, in id order so that concurrent batches cannot deadlock.
         SELECT l.id FROM (SELECT DISTINCT w.id FROM unnest($2::int[]) AS w(id) ORDER BY w.id) w
         CROSS JOIN LATERAL (SELECT c.id FROM im_chats c WHERE c.id = w.id FOR UPDATE) l
       ), chat AS (
         UPDATE im_chats c SET prev_message_id = c.last_message_id, last_message_id = nextval('im_messages_id_seq'),
           message_count = c.message_count + 1, last_activity_at = i.created_at
         FROM input i
         WHERE c.id = ANY($2::int[]) AND c.id = i.chat_id AND c.portal_id = i.portal_id
           AND c.id IN (SELECT id FROM locked)
         RETURNING c.id AS chat_id, c.last_message_id AS id, c.prev_message_id AS prev_id
       ), msg AS (
         INSERT INTO im_messages (id, portal_id, chat_id, author_id, is_system, text, params, reply_id, uuid, created_at)
         SELECT chat.id, i.portal_id, i.chat_id, i.author_id, i.is_system, i.text, i.params::jsonb, i.reply_id, i.uuid,
                i.created_at
         FROM chat JOIN input i USING (chat_id)
         ON CONFLICT (author_id, uuid) WHERE uuid IS NOT NULL DO NOTHING
         RETURNING id
       ), members AS (
         UPDATE im_chat_members m SET
           unread_count = CASE WHEN m.user_id = i.author_id THEN 0
                               WHEN i.counts_as_unread THEN m.unread_count + 1 ELSE m.unread_count END,
           last_read_id = CASE WHEN m.user_id = i.author_id THEN chat.id ELSE m.last_read_id END
         FROM chat JOIN input i USING (chat_id) WHERE m.chat_id = ANY($2::int[]) AND m.chat_id = chat.chat_id
         RETURNING m.chat_id, m.user_id, m.unread_count
       )
       SELECT i.input, chat.id, chat.prev_id, (SELECT count(*) FROM msg)::int AS inserted, members.user_id,
              members.unread_count
       FROM chat JOIN input i USING (chat_id) JOIN members USING (chat_id)
       ORDER BY i.input, members.user_id`,
      [
        inputs.map((i) => i.chat.portalId),
        inputs.map((i) => i.chat.id),
        inputs.map((i) => i.authorId),
        inputs.map((i) => i.system),
        inputs.map((i) => i.text),
        inputs.map((i) => JSON.stringify(i.params)),
        inputs.map((i) => i.replyId),
        inputs.map((i) => i.uuid),
        inputs.map((i) => i.date),
        inputs.map((i) => i.countsAsUnread),
      ],
    );
  }

  /** Members named with `[USER=ID]` (see mentionedMembers) hear of it in their notifications. */
  private async notifyMentioned(
    tx: Queryable,
    message: PostedMessage,
    mentioned: readonly number[],
    users: readonly ImUserView[],
  ): Promise<RecordedEvents[]> {
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

/** The members of a group chat a user's message names with `[USER=ID]`, the author aside. */
function mentionedMembers(message: PostedMessage, rows: readonly PostRow[]): number[] {
  if (message.chat.type === 'P' || message.system) return [];
  const members = new Set(rows.map((r) => r.user_id));
  return mentionedUserIds(message.text).filter((id) => members.has(id) && id !== message.authorId);
}

function postedMessage(input: MessageToPost, row: PostRow): PostedMessage {
  return {
    id: Number(row.id),
    prevId: Number(row.prev_id),
    chat: input.chat,
    authorId: input.authorId,
    companionId: input.companionId,
    system: input.system,
    date: input.date,
    text: input.text,
    params: input.params,
    uuid: input.uuid,
    ...(input.files ? { files: input.files } : {}),
  };
}

/** `message` (one-to-one) or `messageChat` for every member, with each one's own counter. */
function messageEvent(message: PostedMessage, rows: readonly PostRow[], users: readonly ImUserView[]): SharedEvent {
  const memberIds = rows.map((r) => r.user_id);
  return {
    portalId: message.chat.portalId,
    moduleId: 'im',
    command: message.chat.type === 'P' ? 'message' : 'messageChat',
    shared: { ...sharedMessageEventParams(message, users, memberIds) },
    perUser: new Map(
      rows.map((r) => [r.user_id, { ...recipientMessageEventParams(message, r.user_id, r.unread_count) }]),
    ),
  };
}
