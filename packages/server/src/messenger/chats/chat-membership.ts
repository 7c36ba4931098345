import type {
  ImChatAvatarEventParams,
  ImChatUserAddEventParams,
  ImChatUserLeaveEventParams,
  ImUserView,
} from '@portaldesk/protocol';
import type { Clock } from '../../clock/clock.ts';
import { chatAvatarPath } from '../../photos/photo-address.ts';
import type { EventLog } from '../../realtime/event-log.ts';
import type { RecordedEvents } from '../../realtime/push-event.ts';
import type { Database, Queryable } from '../../storage/database.ts';
import type { MessagePoster } from '../messages/message-poster.ts';
import { loadImUsers, usersById } from '../users/im-user-view.ts';
import { CHAT_COLUMNS, type Chat, type ChatRow, type MemberRole, toChat } from './chat.ts';

export interface NewChat {
  portalId: number;
  ownerId: number;
  type: 'C' | 'O';
  title: string | null;
  description: string;
  color: string;
  entityType: string;
  entityId: string;
  userIds: number[];
}

/** Creates group chats and changes who is in them, with the system messages and events that go with it. */
export class ChatMembership {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly events: EventLog,
    private readonly poster: MessagePoster,
  ) {}

  /** Creates a chat owned by its creator; users who are not of the portal are left out. */
  async create(input: NewChat): Promise<Chat> {
    const users = await loadImUsers(this.db, input.portalId, [input.ownerId, ...input.userIds]);
    const memberIds = users.map((u) => u.id);
    const title = input.title?.trim() || `Chat with ${users.map((u) => u.name).join(', ')}`;
    const { chat, recorded } = await this.db.transaction(async (tx) => {
      const [row] = await tx.query<ChatRow>(
        `INSERT INTO im_chats AS c (portal_id, type, title, description, color, owner_id, entity_type, entity_id, created_at, last_activity_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING ${CHAT_COLUMNS}`,
        [
          input.portalId,
          input.type,
          title,
          input.description,
          input.color,
          input.ownerId,
          input.entityType,
          input.entityId,
          this.clock.now(),
        ],
      );
      const chat = toChat(row as ChatRow);
      await tx.query(
        `INSERT INTO im_chat_members (chat_id, user_id, portal_id, role)
         SELECT $1, id, $2, CASE WHEN id = $3 THEN 'owner' ELSE 'member' END FROM unnest($4::int[]) AS id`,
        [chat.id, input.portalId, input.ownerId, memberIds],
      );
      const recorded = await this.recordUserAdd(tx, chat, memberIds, memberIds, users);
      return { chat, recorded };
    });
    this.events.announce(recorded);
    return chat;
  }

  /**
   * Adds users of the portal who are not members yet; with `hideHistory` they see only what is
   * written from now on. Returns the ids actually added.
   */
  async addUsers(chat: Chat, byUserId: number, userIds: number[], hideHistory: boolean): Promise<number[]> {
    const candidates = await loadImUsers(this.db, chat.portalId, [byUserId, ...userIds]);
    const outcome = await this.db.transaction(async (tx) => {
      const added = await tx.query<{ user_id: number }>(
        `INSERT INTO im_chat_members (chat_id, user_id, portal_id, start_id, last_read_id)
         SELECT $1, u.user_id, $2, CASE WHEN $4 THEN c.last_message_id + 1 ELSE 0 END, c.last_message_id
         FROM unnest($3::int[]) AS u(user_id), im_chats c WHERE c.id = $1
         ON CONFLICT DO NOTHING RETURNING user_id`,
        [chat.id, chat.portalId, userIds.filter((id) => candidates.some((u) => u.id === id)), hideHistory],
      );
      const addedIds = added.map((a) => a.user_id).sort((a, b) => a - b);
      if (addedIds.length === 0) return null;
      const members = await this.memberIds(tx, chat.id);
      const newUsers = candidates.filter((u) => addedIds.includes(u.id));
      const recorded = [await this.recordUserAdd(tx, chat, members, addedIds, newUsers)];
      const by = candidates.find((u) => u.id === byUserId);
      const text = `${mention(by)} invited ${newUsers.map(mention).join(', ')} to the chat`;
      recorded.push(...(await this.postSystemMessage(tx, chat, text, 'CHAT_JOIN')));
      return { addedIds, recorded };
    });
    if (!outcome) return [];
    for (const r of outcome.recorded) this.events.announce(r);
    return outcome.addedIds;
  }

  /** Takes the user out of the chat; an owner who leaves hands the chat to the longest-standing member. */
  async leave(chat: Chat, userId: number): Promise<boolean> {
    const [user] = await loadImUsers(this.db, chat.portalId, [userId]);
    return this.takeOut(chat, userId, `${mention(user)} left the chat`);
  }

  /** An owner or manager takes another member out of the chat. */
  async remove(chat: Chat, byUserId: number, userId: number): Promise<boolean> {
    const users = await loadImUsers(this.db, chat.portalId, [byUserId, userId]);
    const by = users.find((u) => u.id === byUserId);
    const user = users.find((u) => u.id === userId);
    return this.takeOut(chat, userId, `${mention(by)} removed ${mention(user)} from the chat`);
  }

  /**
   * Sets (or with null clears) the chat's picture: every member hears `chatAvatar` with its new
   * address and sees a system message. Returns the digest of the picture it replaced.
   */
  async changeAvatar(
    chat: Chat,
    byUserId: number,
    picture: { sha256: string; key: string } | null,
  ): Promise<string | null> {
    const [by] = await loadImUsers(this.db, chat.portalId, [byUserId]);
    const outcome = await this.db.transaction(async (tx) => {
      const [before] = await tx.query<{ avatar_sha256: string | null }>(
        'SELECT avatar_sha256 FROM im_chats WHERE id = $1 FOR UPDATE',
        [chat.id],
      );
      await tx.query('UPDATE im_chats SET avatar_sha256 = $2, avatar_key = $3 WHERE id = $1', [
        chat.id,
        picture?.sha256 ?? null,
        picture?.key ?? null,
      ]);
      const params: ImChatAvatarEventParams = {
        chatId: chat.id,
        dialogId: `chat${chat.id}`,
        avatar: picture ? chatAvatarPath(chat.id, picture.key) : '',
      };
      const recorded = [
        await this.events.record(tx, chat.portalId, await this.memberIds(tx, chat.id), {
          moduleId: 'im',
          command: 'chatAvatar',
          params: { ...params },
        }),
      ];
      const text = picture ? `${mention(by)} changed the chat picture` : `${mention(by)} removed the chat picture`;
      recorded.push(...(await this.postSystemMessage(tx, chat, text, 'CHAT_AVATAR')));
      return { previous: before?.avatar_sha256 ?? null, recorded };
    });
    for (const r of outcome.recorded) this.events.announce(r);
    return outcome.previous;
  }

  /** The member's role in the chat, or null when they are not in it. */
  async roleOf(chatId: number, userId: number): Promise<MemberRole | null> {
    const [row] = await this.db.query<{ role: MemberRole }>(
      'SELECT role FROM im_chat_members WHERE chat_id = $1 AND user_id = $2',
      [chatId, userId],
    );
    return row?.role ?? null;
  }

  /** Everyone in the chat hears `chatUserLeave`, the one who went included; those left see `systemText`. */
  private async takeOut(chat: Chat, userId: number, systemText: string): Promise<boolean> {
    const recorded = await this.db.transaction(async (tx) => {
      const before = await this.memberIds(tx, chat.id);
      const removed = await tx.query<{ role: string }>(
        'DELETE FROM im_chat_members WHERE chat_id = $1 AND user_id = $2 RETURNING role',
        [chat.id, userId],
      );
      if (removed.length === 0) return null;
      if (removed[0]?.role === 'owner') await this.handOver(tx, chat.id);
      const remaining = before.filter((id) => id !== userId);
      const leave: ImChatUserLeaveEventParams = {
        chatId: chat.id,
        dialogId: `chat${chat.id}`,
        chatTitle: chat.title,
        userId,
        message: '',
        userCount: remaining.length,
      };
      const out = [
        await this.events.record(tx, chat.portalId, before, {
          moduleId: 'im',
          command: 'chatUserLeave',
          params: { ...leave },
        }),
      ];
      if (remaining.length > 0) out.push(...(await this.postSystemMessage(tx, chat, systemText, 'CHAT_LEAVE')));
      return out;
    });
    if (!recorded) return false;
    for (const r of recorded) this.events.announce(r);
    return true;
  }

  async memberIds(db: Queryable, chatId: number): Promise<number[]> {
    const rows = await db.query<{ user_id: number }>(
      'SELECT user_id FROM im_chat_members WHERE chat_id = $1 ORDER BY user_id',
      [chatId],
    );
    return rows.map((r) => r.user_id);
  }

  private async handOver(tx: Queryable, chatId: number): Promise<void> {
    const [next] = await tx.query<{ user_id: number }>(
      `UPDATE im_chat_members SET role = 'owner' WHERE chat_id = $1 AND user_id = (
         SELECT user_id FROM im_chat_members WHERE chat_id = $1
         ORDER BY (role = 'manager') DESC, joined_at, user_id LIMIT 1
       ) RETURNING user_id`,
      [chatId],
    );
    await tx.query('UPDATE im_chats SET owner_id = $2 WHERE id = $1', [chatId, next?.user_id ?? null]);
  }

  private recordUserAdd(
    tx: Queryable,
    chat: Chat,
    recipients: number[],
    newUsers: number[],
    users: ImUserView[],
  ): Promise<RecordedEvents> {
    const params: ImChatUserAddEventParams = {
      chatId: chat.id,
      dialogId: `chat${chat.id}`,
      chatTitle: chat.title,
      chatOwner: chat.ownerId ?? 0,
      chatExtranet: false,
      users: usersById(users),
      newUsers,
      userCount: recipients.length,
    };
    return this.events.record(tx, chat.portalId, recipients, {
      moduleId: 'im',
      command: 'chatUserAdd',
      params: { ...params },
    });
  }

  private async postSystemMessage(tx: Queryable, chat: Chat, text: string, code: string): Promise<RecordedEvents[]> {
    const outcome = await this.poster.post(tx, {
      chat,
      authorId: 0,
      companionId: null,
      text,
      params: { CODE: [code], NOTIFY: 'N' },
      replyId: null,
      uuid: null,
      system: true,
      countsAsUnread: false,
      date: this.clock.now(),
      users: [],
    });
    return outcome.kind === 'posted' ? outcome.recorded : [];
  }
}

function mention(user: ImUserView | undefined): string {
  return user ? `[USER=${user.id} REPLACE]${user.name}[/USER]` : '';
}
