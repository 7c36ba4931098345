import type { ImFileView, ImMessageEventParams, ImUserView } from '@portaldesk/protocol';
import { atomDate } from '../atom-date.ts';
import type { Chat } from '../chats/chat.ts';
import { usersById } from '../users/im-user-view.ts';

export interface PostedMessage {
  id: number;
  prevId: number;
  chat: Chat;
  authorId: number;
  companionId: number | null;
  system: boolean;
  date: Date;
  text: string;
  params: Record<string, unknown>;
  uuid: string | null;
  files?: readonly ImFileView[];
}

type PerRecipient = 'dialogId' | 'counter' | 'notify';
type MessageView = ImMessageEventParams['message'];

/** The part of `message` / `messageChat` params every member receives alike. */
export type SharedMessageEventParams = Omit<ImMessageEventParams, PerRecipient | 'message'> & {
  message: Omit<MessageView, 'recipientId'>;
};

/** The part one member receives for themselves; laid over the shared part it makes ImMessageEventParams. */
export type RecipientMessageEventParams = Pick<ImMessageEventParams, PerRecipient> & {
  message: Pick<MessageView, 'recipientId'>;
};

/** What every member's `message` / `messageChat` event says alike (stored once per message). */
export function sharedMessageEventParams(
  posted: PostedMessage,
  users: readonly ImUserView[],
  memberIds: readonly number[],
): SharedMessageEventParams {
  const { chat } = posted;
  const isPrivate = chat.type === 'P';
  return {
    chatId: chat.id,
    chat: isPrivate ? {} : { [String(chat.id)]: eventChatView(chat) },
    lines: null,
    message: {
      id: posted.id,
      templateId: posted.uuid ?? '',
      prevId: posted.prevId,
      chatId: chat.id,
      senderId: posted.authorId,
      system: posted.system ? 'Y' : 'N',
      date: atomDate(posted.date),
      text: posted.text,
      params: Object.keys(posted.params).length === 0 ? [] : posted.params,
    },
    files: [...(posted.files ?? [])],
    users: usersById(users),
    userInChat: { [String(chat.id)]: [...memberIds].sort((a, b) => a - b) },
    userBlockChat: {},
  };
}

/** What differs for one member: the dialog as they see it, the recipient, their counter. */
export function recipientMessageEventParams(
  posted: PostedMessage,
  recipientId: number,
  counter: number,
): RecipientMessageEventParams {
  const { chat } = posted;
  const isPrivate = chat.type === 'P';
  // In a one-to-one dialog each side's dialog id is the other side's user id.
  const other = posted.authorId === recipientId ? posted.companionId : posted.authorId;
  return {
    dialogId: isPrivate ? (other ?? recipientId) : `chat${chat.id}`,
    message: {
      recipientId: isPrivate
        ? posted.authorId === recipientId
          ? (posted.companionId ?? recipientId)
          : recipientId
        : `chat${chat.id}`,
    },
    counter,
    notify: recipientId !== posted.authorId && !posted.system,
  };
}

function eventChatView(chat: Chat) {
  return {
    id: chat.id,
    name: chat.title,
    owner: chat.ownerId ?? 0,
    color: chat.color,
    type: chat.type === 'O' ? 'open' : 'chat',
    entity_type: chat.entityType,
    entity_id: chat.entityId,
    date_create: atomDate(chat.createdAt),
  };
}
