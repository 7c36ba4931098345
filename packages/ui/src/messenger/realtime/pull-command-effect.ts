import {
  ImChatAvatarCommandSchema as ChatAvatarParams,
  ImChatUserAddCommandSchema as ChatUserAddParams,
  ImChatUserLeaveCommandSchema as ChatUserLeaveParams,
  ImMessageChangeCommandSchema as MessageChangeParams,
  ImMessageCommandSchema as MessageParams,
  ImMessageParamsUpdateCommandSchema as MessageParamsUpdate,
  ImOpponentReadCommandSchema as OpponentReadParams,
  ImReadCommandSchema as ReadParams,
  ImWritingCommandSchema as WritingParams,
} from '@portaldesk/protocol';
import type { DialogId, DialogMessage } from '../api/messenger-schemas.ts';
import { filesOfMessage } from '../files/chat-file.ts';
import type { MessageChange, MessageParamsChange } from '../state/message-changes.ts';

/**
 * What an `im` realtime command (bitrix24-wire.md, "push and pull") means for the messenger
 * screens. Commands the screens do not show, or with params that do not parse, mean nothing.
 */
export type PullCommandEffect =
  | {
      kind: 'message';
      dialogId: DialogId;
      message: DialogMessage;
      counter: number;
      authorName?: string;
      /** A forwarded message: the original's author, to name them. */
      forwardedFrom?: { id: number; name: string };
      title?: string;
    }
  | { kind: 'read'; dialogId: DialogId; counter: number }
  /** The other side (in a group chat, someone else) read the dialog up to `lastId`. */
  | { kind: 'opponentRead'; dialogId: DialogId; lastId: number }
  /** A message was edited or deleted. */
  | ({ kind: 'changed' } & MessageChange)
  /** Some of a message's params changed without an edit (a file of it was deleted). */
  | ({ kind: 'paramsChanged' } & MessageParamsChange)
  | { kind: 'typing'; dialogId: DialogId; userId: number; name: string }
  /** Someone joined a group chat; `joined` when it is the reader, who now has the chat. */
  | { kind: 'chatUserAdd'; dialogId: DialogId; title: string; owner: number; joined: boolean }
  /** Someone left (or was removed from) a group chat; `gone` when it is the reader. */
  | { kind: 'chatUserLeave'; dialogId: DialogId; userId: number; gone: boolean }
  /** A group chat got a new picture (its address; empty when removed). */
  | { kind: 'chatAvatar'; dialogId: DialogId; avatar: string };

export function pullCommandEffect(command: string, params: unknown, readerId: number): PullCommandEffect | null {
  switch (command) {
    case 'message':
    case 'messageChat': {
      const parsed = MessageParams.safeParse(params);
      if (!parsed.success) return null;
      const p = parsed.data;
      const m = p.message;
      const dialogId =
        command === 'messageChat'
          ? `chat${p.chatId}`
          : // One-to-one: the dialog is named by the other person, whichever side sent.
            m.senderId === readerId
            ? (m.recipientId ?? p.dialogId ?? '')
            : String(m.senderId);
      if (!/^(chat)?\d+$/.test(dialogId)) return null;
      const authorName = p.users?.[String(m.senderId)]?.name;
      const forwardedId = m.params?.FORWARD_USER_ID;
      const forwardedName = forwardedId ? p.users?.[String(forwardedId)]?.name : undefined;
      const flags = {
        ...(m.params?.REPLY_ID ? { REPLY_ID: m.params.REPLY_ID } : {}),
        ...(forwardedId ? { FORWARD_USER_ID: forwardedId } : {}),
        ...(m.params?.FILE_ID ? { FILE_ID: m.params.FILE_ID } : {}),
      };
      // A one-to-one dialog is titled with the other person: the reader's own message names them
      // only as its recipient.
      const title = command === 'messageChat' ? p.chat?.[String(p.chatId)]?.name : p.users?.[dialogId]?.name;
      return {
        kind: 'message',
        dialogId,
        counter: p.counter,
        message: {
          id: m.id,
          chat_id: m.chatId ?? p.chatId,
          author_id: m.senderId,
          date: m.date,
          text: m.text,
          ...(Object.keys(flags).length > 0 ? { params: flags } : {}),
          ...(m.params?.FILE_ID ? { files: filesOfMessage(m.params.FILE_ID, p.files) } : {}),
        },
        ...(authorName ? { authorName } : {}),
        ...(forwardedId && forwardedName ? { forwardedFrom: { id: forwardedId, name: forwardedName } } : {}),
        ...(title ? { title } : {}),
      };
    }
    case 'readMessage':
    case 'readMessageChat': {
      const parsed = ReadParams.safeParse(params);
      return parsed.success ? { kind: 'read', dialogId: parsed.data.dialogId, counter: parsed.data.counter } : null;
    }
    case 'readMessageOpponent':
    case 'readMessageChatOpponent': {
      const parsed = OpponentReadParams.safeParse(params);
      if (!parsed.success) return null;
      const { dialogId, chatId, lastId } = parsed.data;
      // One-to-one: the dialog is named by the one who read it, the reader's other side.
      const id = command === 'readMessageChatOpponent' ? `chat${chatId}` : dialogId;
      return /^(chat)?\d+$/.test(id) ? { kind: 'opponentRead', dialogId: id, lastId } : null;
    }
    case 'startWriting': {
      const parsed = WritingParams.safeParse(params);
      if (!parsed.success || parsed.data.userId === readerId) return null;
      const { dialogId, userId, userName } = parsed.data;
      // In a one-to-one dialog the writer is the other person, and the dialog is named by them.
      return {
        kind: 'typing',
        dialogId: dialogId.startsWith('chat') ? dialogId : String(userId),
        userId,
        name: userName,
      };
    }
    case 'chatUserAdd': {
      const parsed = ChatUserAddParams.safeParse(params);
      if (!parsed.success) return null;
      const { chatId, chatTitle, chatOwner, newUsers } = parsed.data;
      return {
        kind: 'chatUserAdd',
        dialogId: `chat${chatId}`,
        title: chatTitle,
        owner: chatOwner,
        joined: newUsers.includes(readerId),
      };
    }
    case 'messageUpdate':
    case 'messageDelete': {
      const parsed = MessageChangeParams.safeParse(params);
      if (!parsed.success) return null;
      const p = parsed.data;
      // A one-to-one dialog's id is the other person, as the server names it for this reader.
      const dialogId = p.type === 'chat' ? `chat${p.chatId}` : p.dialogId;
      if (!/^(chat)?\d+$/.test(dialogId)) return null;
      return {
        kind: 'changed',
        dialogId,
        messageId: p.id,
        text: p.text,
        params: p.params,
        ...(command === 'messageDelete' && p.counter !== undefined ? { counter: p.counter } : {}),
      };
    }
    case 'messageParamsUpdate': {
      const parsed = MessageParamsUpdate.safeParse(params);
      if (!parsed.success) return null;
      const dialogId = String(parsed.data.dialogId);
      if (!/^(chat)?\d+$/.test(dialogId)) return null;
      return { kind: 'paramsChanged', dialogId, messageId: parsed.data.id, params: parsed.data.params };
    }
    case 'chatUserLeave': {
      const parsed = ChatUserLeaveParams.safeParse(params);
      if (!parsed.success) return null;
      const { chatId, userId } = parsed.data;
      return { kind: 'chatUserLeave', dialogId: `chat${chatId}`, userId, gone: userId === readerId };
    }
    case 'chatAvatar': {
      const parsed = ChatAvatarParams.safeParse(params);
      if (!parsed.success) return null;
      return { kind: 'chatAvatar', dialogId: `chat${parsed.data.chatId}`, avatar: parsed.data.avatar };
    }
    default:
      return null;
  }
}
