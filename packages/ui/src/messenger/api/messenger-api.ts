import type { UserStatus } from '@portaldesk/protocol';
import { z } from 'zod';
import { parsedCall } from '../../rest/parsed-call.ts';
import type { RestCaller, RestParams } from '../../rest/rest-client.ts';
import { filesOfMessage } from '../files/chat-file.ts';
import { ChatFileApi, type FileSender } from '../files/chat-file-api.ts';
import { type FileSource, pageFileSource } from '../files/file-source.ts';
import {
  type DialogId,
  type DialogMessagesPage,
  DialogMessagesSchema,
  DialogReadSchema,
  type DialogUser,
  DialogUserSchema,
  type RecentItem,
  RecentListSchema,
} from './messenger-schemas.ts';

const PeopleSchema = z.record(z.string(), DialogUserSchema.nullable());

/** Messages a history page asks for (Bitrix24: 20 by default, at most 50). */
export const HISTORY_PAGE_SIZE = 30;

/** The messenger's REST calls, by their documented Bitrix24 names and parameters. */
export class MessengerApi {
  /** `rest` is public for the group-chat calls, which share the messenger's client. */
  constructor(
    readonly rest: RestCaller,
    /** How files are sent and fetched: from the page itself unless the window has no session. */
    readonly files: { send: FileSender; source: FileSource } = pageFiles(rest),
  ) {}

  async recent(): Promise<{ items: RecentItem[]; hasMorePages: boolean }> {
    return this.parsed(RecentListSchema, 'im.recent.list', { LIMIT: 50 });
  }

  /** The newest page, or the page older than `olderThanId`. */
  async history(dialogId: DialogId, olderThanId?: number): Promise<DialogMessagesPage> {
    const page = await this.parsed(DialogMessagesSchema, 'im.dialog.messages.get', {
      DIALOG_ID: dialogId,
      LIMIT: HISTORY_PAGE_SIZE,
      ...(olderThanId ? { LAST_ID: olderThanId } : {}),
    });
    // Each message carries its own files, so that the screens need no second lookup.
    const messages = page.messages.map((m) =>
      m.params?.FILE_ID ? { ...m, files: filesOfMessage(m.params.FILE_ID, page.files) } : m,
    );
    return { ...page, messages };
  }

  /** The page of messages newer than `newerThanId`, oldest first (Bitrix24 `FIRST_ID`). */
  async newer(dialogId: DialogId, newerThanId: number): Promise<DialogMessagesPage> {
    return this.parsed(DialogMessagesSchema, 'im.dialog.messages.get', {
      DIALOG_ID: dialogId,
      LIMIT: HISTORY_PAGE_SIZE,
      FIRST_ID: newerThanId,
    });
  }

  /**
   * The history around one message: it and the page before it (`LAST_ID` is "older than", so
   * one past it), and the page after it (`FIRST_ID`).
   */
  async around(dialogId: DialogId, messageId: number): Promise<[DialogMessagesPage, DialogMessagesPage]> {
    return Promise.all([this.history(dialogId, messageId + 1), this.newer(dialogId, messageId)]);
  }

  /**
   * Sends `text`, as an answer to the message `replyId` when given; resolves to the new message's
   * id. The REST client tries again after a network error, as the official SDK does; the send's own
   * `TEMPLATE_ID` makes the server answer a repeat with the first send's id instead of posting twice.
   */
  async send(dialogId: DialogId, text: string, replyId?: number): Promise<number> {
    const params = {
      DIALOG_ID: dialogId,
      MESSAGE: text,
      TEMPLATE_ID: sendId(),
      ...(replyId ? { REPLY_ID: replyId } : {}),
    };
    return Number(await this.rest.call('im.message.add', params));
  }

  async markRead(dialogId: DialogId, messageId: number): Promise<{ counter: number }> {
    return this.parsed(DialogReadSchema, 'im.dialog.read', { DIALOG_ID: dialogId, MESSAGE_ID: messageId });
  }

  /** Replaces the text of one of the reader's messages (Bitrix24 `im.message.update`). */
  async edit(messageId: number, text: string): Promise<void> {
    await this.rest.call('im.message.update', { MESSAGE_ID: messageId, MESSAGE: text });
  }

  /** Deletes one of the reader's messages; it stays in the history as deleted (`im.message.delete`). */
  async remove(messageId: number): Promise<void> {
    await this.rest.call('im.message.delete', { MESSAGE_ID: messageId });
  }

  /** Forwards a message the reader can read into another dialog; resolves to the copy's id. */
  async forward(messageId: number, dialogId: DialogId): Promise<number> {
    return Number(await this.rest.call('im.message.forward', { MESSAGE_ID: messageId, DIALOG_ID: dialogId }));
  }

  /** A colleague's name and avatar (Bitrix24 `im.user.get`), for a dialog not yet in the list. */
  async user(userId: number): Promise<DialogUser> {
    return this.parsed(DialogUserSchema, 'im.user.get', { ID: userId });
  }

  /** Colleagues by id with their status and presence (Bitrix24 `im.user.list.get`); unknown ids are left out. */
  async people(userIds: readonly number[]): Promise<DialogUser[]> {
    const found = await this.parsed(PeopleSchema, 'im.user.list.get', { ID: [...userIds] });
    return Object.values(found).filter((user): user is DialogUser => user !== null);
  }

  /** Sets the reader's own status: online, away or do not disturb (Bitrix24 `im.user.status.set`). */
  async setStatus(status: UserStatus): Promise<void> {
    await this.rest.call('im.user.status.set', { STATUS: status });
  }

  /** Tells the other side the user is typing (Bitrix24 `im.dialog.writing`). */
  async typing(dialogId: DialogId): Promise<void> {
    await this.rest.call('im.dialog.writing', { DIALOG_ID: dialogId });
  }

  private parsed<S extends z.ZodType>(schema: S, method: string, params: RestParams): Promise<z.output<S>> {
    return parsedCall(this.rest, schema, method, params);
  }
}

/** The portal's own pages send files by the documented flow and load them from the portal. */
function pageFiles(rest: RestCaller): { send: FileSender; source: FileSource } {
  const api = new ChatFileApi(rest);
  return { send: (...args) => api.send(...args), source: pageFileSource };
}

/** A random id for one send; `getRandomValues` works on plain-http portals too, unlike `randomUUID`. */
function sendId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
