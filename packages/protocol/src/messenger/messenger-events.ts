import type { ImFileView } from './chat-files.ts';
import type { ImUserView } from './messenger-views.ts';

/**
 * Params of the `im` realtime ("push and pull") commands, as Bitrix24 sends them. Counters are
 * always the receiving user's own.
 */
export interface ImPushMessage {
  id: number;
  templateId: string;
  prevId: number;
  chatId: number;
  senderId: number;
  /** The other user of a one-to-one dialog, or `chat<N>`. */
  recipientId: number | string;
  system: 'Y' | 'N';
  date: string;
  text: string;
  params: Record<string, unknown> | unknown[];
}

/** `message` (one-to-one) and `messageChat` (group). */
export interface ImMessageEventParams {
  chatId: number;
  dialogId: number | string;
  chat: Record<string, unknown>;
  lines: null;
  message: ImPushMessage;
  files: ImFileView[];
  users: Record<string, ImUserView>;
  userInChat: Record<string, number[]>;
  userBlockChat: Record<string, unknown>;
  counter: number;
  notify: boolean;
}

/** What a deleted message says from then on, in `messageDelete` and in the history. */
export const DELETED_MESSAGE_TEXT = 'This message has been deleted.';

/** `messageUpdate` and `messageDelete`. */
export interface ImMessageChangeEventParams {
  id: number;
  type: 'private' | 'chat';
  text: string;
  chatId: number;
  dialogId: number | string;
  senderId: number;
  params: Record<string, unknown> | unknown[];
  fromUserId?: number;
  toUserId?: number;
  /** `messageDelete` only: the recipient's unread counter of the chat afterwards (a deleted unread message stops counting). */
  counter?: number;
}

/** `readMessage` and `readMessageChat`, to the reader's own clients. */
export interface ImReadEventParams {
  dialogId: number | string;
  chatId: number;
  lastId: number;
  counter: number;
  muted: boolean;
  unread: boolean;
  viewedMessages: number[];
  senderId?: number;
  id?: number;
  userId?: number;
}

/** `readMessageOpponent` and `readMessageChatOpponent`, to the other members. */
export interface ImReadOpponentEventParams {
  dialogId: number | string;
  chatId: number;
  userId: number;
  userName: string;
  lastId: number;
  date: string;
  viewedMessages: number[];
}

export interface ImChatUserAddEventParams {
  chatId: number;
  dialogId: string;
  chatTitle: string;
  chatOwner: number;
  chatExtranet: boolean;
  users: Record<string, ImUserView>;
  newUsers: number[];
  userCount: number;
}

export interface ImChatUserLeaveEventParams {
  chatId: number;
  dialogId: string;
  chatTitle: string;
  userId: number;
  message: string;
  userCount: number;
}

export interface ImNotifyAddEventParams {
  id: number;
  chatId: number;
  type: number;
  date: string;
  silent: 'N';
  onlyFlash: boolean;
  link: string;
  text: string;
  /** md5 of the original tag, as Bitrix24 sends it; empty without a tag. */
  tag: string;
  originalTag: string;
  original_tag: string;
  read: 'Y' | 'N';
  settingName: string;
  params: Record<string, unknown> | unknown[];
  counter: number;
  users: ImUserView[];
  userId: number | null;
  userName: string | null;
  userColor: string | null;
  userAvatar: string | null;
  userLink: string | null;
  title: string;
}

/** `notifyRead` and `notifyUnread`. */
export interface ImNotifyReadEventParams {
  chatId: number;
  list: number[];
  counter: number;
}

/** `notifyDelete`: notifications replaced by a newer one with the same tag. */
export interface ImNotifyDeleteEventParams {
  chatId: number;
  id: Record<string, number>;
  counter: number;
}

/** `startWriting` (transient: never replayed). */
export interface ImStartWritingEventParams {
  dialogId: number | string;
  userId: number;
  userName: string;
}
