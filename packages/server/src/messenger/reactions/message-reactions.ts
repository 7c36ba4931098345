import type {
  ImDialogMessages,
  ImReactionEventParams,
  ImReactionsView,
  ImReactionUserShort,
  ReactionCode,
} from '@portaldesk/protocol';
import type { EventLog } from '../../realtime/event-log.ts';
import type { Database, Queryable } from '../../storage/database.ts';
import { dialogIdForMember } from '../chats/chat.ts';
import { loadImUsers } from '../users/im-user-view.ts';

/** Why a reaction could not change; the REST methods answer each with their documented code. */
export type ReactionRefusal = 'no-access' | 'already-set' | 'not-set';

export class ReactionRefused extends Error {
  constructor(readonly reason: ReactionRefusal) {
    super(reason);
  }
}

interface ReactableRow {
  id: number;
  chat_id: number;
  chat_type: 'P' | 'C' | 'O' | 'N';
}

/** The reactions of a page of messages as one viewer sees them (`reactions`, `usersShort`). */
export interface ReactionsOfMessages {
  reactions: ImReactionsView[];
  usersShort: ImReactionUserShort[];
}

/**
 * Who reacted how to which message. Only members of the message's chat who may see the message
 * react; a deleted message takes no reactions. Every change is told to every member of the chat
 * (`addReaction` / `deleteReaction`) with the message's reactions as they are after it.
 */
export class MessageReactions {
  constructor(
    private readonly db: Database,
    private readonly events: EventLog,
  ) {}

  /** Puts `reaction` on the message; refused when the user already has it there. */
  async add(portalId: number, userId: number, messageId: number, reaction: ReactionCode): Promise<void> {
    await this.change(portalId, userId, messageId, reaction, 'add');
  }

  /** Takes `reaction` off the message; refused when the user has not put it there. */
  async remove(portalId: number, userId: number, messageId: number, reaction: ReactionCode): Promise<void> {
    await this.change(portalId, userId, messageId, reaction, 'remove');
  }

  /** Whether the user has put `reaction` on the message (which they must be able to see). */
  async has(portalId: number, userId: number, messageId: number, reaction: ReactionCode): Promise<boolean> {
    await this.reactable(this.db, portalId, userId, messageId, false);
    const rows = await this.db.query(
      'SELECT 1 FROM im_message_reactions WHERE message_id = $1 AND user_id = $2 AND reaction = $3',
      [messageId, userId, reaction],
    );
    return rows.length > 0;
  }

  /**
   * A history page with its messages' reactions, as the docs show them: `reactions` and
   * `usersShort` beside the messages, and each liked message's `params.LIKE` (who liked it).
   */
  async withReactions<Page extends Pick<ImDialogMessages, 'messages'>>(
    portalId: number,
    viewerId: number,
    page: Page,
  ): Promise<Page & ReactionsOfMessages> {
    const found = await this.ofMessages(
      portalId,
      viewerId,
      page.messages.map((m) => m.id),
    );
    const likes = new Map(found.reactions.map((r) => [r.messageId, r.reactionUsers.like]));
    const messages = page.messages.map((message) => {
      const liked = likes.get(message.id);
      if (!liked) return message;
      const params = Array.isArray(message.params) ? {} : message.params;
      return { ...message, params: { ...params, LIKE: liked } };
    });
    return { ...page, messages, ...found };
  }

  /** The reactions of these messages, each with the viewer's own. */
  async ofMessages(
    portalId: number,
    viewerId: number,
    messageIds: readonly number[],
    db: Queryable = this.db,
  ): Promise<ReactionsOfMessages> {
    if (messageIds.length === 0) return { reactions: [], usersShort: [] };
    const rows = await db.query<{ message_id: number; user_id: number; reaction: string }>(
      `SELECT message_id, user_id, reaction FROM im_message_reactions
       WHERE message_id = ANY($1::bigint[]) AND portal_id = $2 ORDER BY message_id, created_at, user_id`,
      [[...new Set(messageIds)], portalId],
    );
    const byMessage = new Map<number, ImReactionsView>();
    for (const row of rows) {
      const messageId = Number(row.message_id);
      let view = byMessage.get(messageId);
      if (!view) {
        view = { messageId, reactionCounters: {}, reactionUsers: {}, ownReactions: [] };
        byMessage.set(messageId, view);
      }
      view.reactionCounters[row.reaction] = (view.reactionCounters[row.reaction] ?? 0) + 1;
      view.reactionUsers[row.reaction] = [...(view.reactionUsers[row.reaction] ?? []), row.user_id];
      if (row.user_id === viewerId) view.ownReactions.push(row.reaction);
    }
    const usersShort = await usersShortOf(
      db,
      portalId,
      rows.map((r) => r.user_id),
    );
    return { reactions: [...byMessage.values()], usersShort };
  }

  private async change(
    portalId: number,
    userId: number,
    messageId: number,
    reaction: ReactionCode,
    change: 'add' | 'remove',
  ): Promise<void> {
    const recorded = await this.db.transaction(async (tx) => {
      // Locked, so that changes to one message's reactions are told in the order they happened.
      const message = await this.reactable(tx, portalId, userId, messageId, true);
      if (change === 'add') {
        const inserted = await tx.query(
          `INSERT INTO im_message_reactions (message_id, user_id, reaction, portal_id, chat_id)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1`,
          [messageId, userId, reaction, portalId, message.chat_id],
        );
        if (inserted.length === 0) throw new ReactionRefused('already-set');
      } else {
        const deleted = await tx.query(
          'DELETE FROM im_message_reactions WHERE message_id = $1 AND user_id = $2 AND reaction = $3 RETURNING 1',
          [messageId, userId, reaction],
        );
        if (deleted.length === 0) throw new ReactionRefused('not-set');
      }
      return this.recordChange(tx, portalId, userId, message, reaction, change);
    });
    this.events.announce(recorded);
  }

  /** The message, if the user may see it and it is not deleted. */
  private async reactable(
    db: Queryable,
    portalId: number,
    userId: number,
    messageId: number,
    lock: boolean,
  ): Promise<ReactableRow> {
    const [row] = await db.query<ReactableRow>(
      `SELECT msg.id, msg.chat_id, c.type AS chat_type FROM im_messages msg
       JOIN im_chats c ON c.id = msg.chat_id
       JOIN im_chat_members m ON m.chat_id = msg.chat_id AND m.user_id = $3
       WHERE msg.id = $1 AND msg.portal_id = $2 AND msg.deleted_at IS NULL AND msg.id >= m.start_id
         AND c.type IN ('P', 'C', 'O')
       ${lock ? 'FOR NO KEY UPDATE OF msg' : ''}`,
      [messageId, portalId, userId],
    );
    if (!row) throw new ReactionRefused('no-access');
    return row;
  }

  private async recordChange(
    tx: Queryable,
    portalId: number,
    userId: number,
    message: ReactableRow,
    reaction: string,
    change: 'add' | 'remove',
  ) {
    const members = await tx.query<{ user_id: number }>('SELECT user_id FROM im_chat_members WHERE chat_id = $1', [
      message.chat_id,
    ]);
    const { reactions, usersShort } = await this.ofMessages(portalId, 0, [message.id], tx);
    const { ownReactions: _, ...reactionNow } = reactions[0] ?? {
      messageId: Number(message.id),
      reactionCounters: {},
      reactionUsers: {},
      ownReactions: [],
    };
    const memberIds = members.map((m) => m.user_id);
    const perUser = new Map<number, Record<string, unknown>>();
    for (const memberId of memberIds) {
      const dialogId = dialogIdForMember({ id: message.chat_id, type: message.chat_type }, memberIds, memberId);
      const params: ImReactionEventParams = {
        dialogId,
        chatId: message.chat_id,
        userId,
        reaction,
        actualReactions: { reaction: reactionNow, usersShort },
      };
      perUser.set(memberId, { ...params });
    }
    return this.events.recordEach(tx, portalId, 'im', change === 'add' ? 'addReaction' : 'deleteReaction', perUser);
  }
}

async function usersShortOf(db: Queryable, portalId: number, ids: readonly number[]): Promise<ImReactionUserShort[]> {
  const users = await loadImUsers(db, portalId, ids);
  return users.map((u) => ({ id: u.id, name: u.name, avatar: u.avatar }));
}
