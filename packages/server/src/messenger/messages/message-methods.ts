import {
  imDialogMessagesGetParams,
  imDialogReadParams,
  imDialogWritingParams,
  imMessageAddParams,
  imMessageDeleteParams,
  imMessageForwardParams,
  imMessageUpdateParams,
} from '@portaldesk/protocol';
import type { AuthContext } from '../../rest/auth-context.ts';
import { type RestMethod, restMethod } from '../../rest/rest-method.ts';
import { fullName } from '../../users/user.ts';
import { dialogIdOf } from '../chats/chat.ts';
import type { Messenger } from '../messenger.ts';
import { imError } from '../messenger-error.ts';
import { isYes, readDialog, readId, readText } from '../param-readers.ts';
import { imUserView, loadImUsers } from '../users/im-user-view.ts';
import { readBlock } from './message-blocks.ts';
import { forwardedCopy } from './message-forwarding.ts';
import { MAX_MESSAGE_LENGTH } from './message-text-limits.ts';

const MAX_UUID_LENGTH = 64;
const DEFAULT_PAGE = 20;
const MAX_PAGE = 50;

/** `im.message.*`, `im.dialog.messages.get`, `im.dialog.read`, `im.dialog.writing`. */
export function messageMethods(messenger: Messenger): RestMethod[] {
  return [
    restMethod({
      name: 'im.message.add',
      scope: 'im',
      readOnly: false,
      params: imMessageAddParams,
      handle: async ({ auth, params }) => {
        const ref = readDialog(params.DIALOG_ID);
        const text = readText(params.MESSAGE);
        const blocks = {
          ATTACH: readBlock(params.ATTACH, 'ATTACH'),
          KEYBOARD: readBlock(params.KEYBOARD, 'KEYBOARD'),
          MENU: readBlock(params.MENU, 'MENU'),
        };
        if (text.trim() === '' && !blocks.ATTACH) throw imError('MESSAGE_EMPTY', "Message can't be empty");
        if (text.length > MAX_MESSAGE_LENGTH) {
          throw imError('PARAMS_ERROR', `Message is longer than ${MAX_MESSAGE_LENGTH} characters`);
        }
        const uuid = readUuid(params.UUID ?? params.TEMPLATE_ID);
        const replyId = params.REPLY_ID === undefined || params.REPLY_ID === '' ? null : readId(params.REPLY_ID);
        if (params.REPLY_ID !== undefined && params.REPLY_ID !== '' && replyId === null) {
          throw imError('REPLY_ACCESS_ERROR', 'Action unavailable');
        }
        const target = await openForSending(messenger, auth, ref);
        const messageParams: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(blocks)) if (value) messageParams[key] = value;
        if (replyId !== null) messageParams.REPLY_ID = replyId;
        if (params.URL_PREVIEW !== undefined && !isYes(params.URL_PREVIEW)) messageParams.URL_PREVIEW = 'N';
        const id = await messenger.sender.send({
          portalId: auth.portal.id,
          authorId: auth.userId,
          chat: target.chat,
          companionId: target.companionId,
          text,
          params: messageParams,
          replyId,
          uuid,
          system: isYes(params.SYSTEM),
          users: target.users,
        });
        return { result: id };
      },
    }),
    restMethod({
      name: 'im.message.update',
      scope: 'im',
      readOnly: false,
      params: imMessageUpdateParams,
      handle: async ({ auth, params }) => {
        const messageId = readMessageId(params.MESSAGE_ID);
        const text = params.MESSAGE === undefined ? undefined : readText(params.MESSAGE);
        if (text !== undefined && text.length > MAX_MESSAGE_LENGTH) {
          throw imError('PARAMS_ERROR', `Message is longer than ${MAX_MESSAGE_LENGTH} characters`);
        }
        const change: Record<string, unknown | null> = {};
        for (const name of ['ATTACH', 'KEYBOARD', 'MENU'] as const) {
          const block = readBlock(params[name], name);
          if (block !== undefined) change[name] = block;
        }
        // The docs: an empty MESSAGE deletes the message.
        if (text !== undefined && text.trim() === '' && !change.ATTACH) {
          await messenger.editor.delete(auth.portal.id, auth.userId, messageId);
          return { result: true };
        }
        await messenger.editor.update(auth.portal.id, auth.userId, messageId, {
          ...(text !== undefined ? { text } : {}),
          params: change,
          markEdited: text !== undefined || params.IS_EDITED === undefined || isYes(params.IS_EDITED),
        });
        return { result: true };
      },
    }),
    restMethod({
      name: 'im.message.delete',
      scope: 'im',
      readOnly: false,
      params: imMessageDeleteParams,
      handle: async ({ auth, params }) => {
        await messenger.editor.delete(auth.portal.id, auth.userId, readMessageId(params.MESSAGE_ID));
        return { result: true };
      },
    }),
    restMethod({
      // Not `im.message.share`: the docs describe that one as making a chat, task, post or event
      // out of a message, not as sending it into another dialog.
      name: 'im.message.forward',
      scope: 'im',
      readOnly: false,
      params: imMessageForwardParams,
      handle: async ({ auth, params }) => {
        const messageId = readMessageId(params.MESSAGE_ID);
        const ref = readDialog(params.DIALOG_ID);
        const copy = await forwardedCopy(messenger.db, auth.portal.id, auth.userId, messageId);
        const target = await openForSending(messenger, auth, ref);
        const known = new Set(target.users.map((user) => user.id));
        const original = known.has(copy.originalAuthorId)
          ? []
          : await loadImUsers(messenger.db, auth.portal.id, [copy.originalAuthorId]);
        const id = await messenger.sender.send({
          portalId: auth.portal.id,
          authorId: auth.userId,
          chat: target.chat,
          companionId: target.companionId,
          text: copy.text,
          params: copy.params,
          replyId: null,
          uuid: null,
          system: false,
          users: [...target.users, ...original],
        });
        return { result: id };
      },
    }),
    restMethod({
      name: 'im.dialog.messages.get',
      scope: 'im',
      readOnly: true,
      params: imDialogMessagesGetParams,
      handle: async ({ auth, params }) => {
        const ref = readDialog(params.DIALOG_ID);
        const lastId = readCursor(params.LAST_ID, 'LAST_ID_STRING', "Last ID can't be string");
        const firstId = readCursor(params.FIRST_ID, 'FIRST_ID_STRING', "First ID can't be string");
        const limit = Math.min(MAX_PAGE, Math.max(1, readId(params.LIMIT) ?? DEFAULT_PAGE));
        const opened = await messenger.directory.open(auth.portal.id, auth.userId, ref);
        if (!opened) throw accessError();
        if (!opened.chat) return { result: { chat_id: 0, messages: [], users: [], files: [] } };
        if (!opened.member) throw accessError();
        const page = await messenger.history.page(auth.portal.id, auth.userId, opened.chat, opened.member, {
          lastId,
          firstId,
          limit,
        });
        const withUsers = { ...page, users: await messenger.live.decorate(auth.portal.id, page.users) };
        return { result: await messenger.reactions.withReactions(auth.portal.id, auth.userId, withUsers) };
      },
    }),
    restMethod({
      name: 'im.dialog.read',
      scope: 'im',
      readOnly: false,
      params: imDialogReadParams,
      handle: async ({ auth, params }) => {
        const ref = readDialog(params.DIALOG_ID);
        const upTo = params.MESSAGE_ID === undefined || params.MESSAGE_ID === '' ? null : readId(params.MESSAGE_ID);
        const opened = await messenger.directory.open(auth.portal.id, auth.userId, ref);
        // The docs: the result is `false` when the caller has no access to the dialog.
        if (!opened?.chat || !opened.member) return { result: false };
        const dialogId = dialogIdOf(opened.chat, opened.companionId);
        const read = await messenger.reads.read(auth.portal.id, auth.userId, opened.chat, dialogId, upTo ?? null);
        return { result: read ?? false };
      },
    }),
    restMethod({
      name: 'im.dialog.writing',
      scope: 'im',
      readOnly: false,
      params: imDialogWritingParams,
      handle: async ({ auth, params }) => {
        const ref = readDialog(params.DIALOG_ID);
        const opened = await messenger.directory.open(auth.portal.id, auth.userId, ref);
        if (!opened) throw accessError();
        const [writer] = await messenger.db.query<{ first_name: string; last_name: string }>(
          'SELECT first_name, last_name FROM users WHERE id = $1',
          [auth.userId],
        );
        const userName = writer ? fullName({ firstName: writer.first_name, lastName: writer.last_name }) : '';
        if (ref.kind === 'user') {
          if (ref.userId !== auth.userId) {
            messenger.events.pushTransient(auth.portal.id, [ref.userId], {
              moduleId: 'im',
              command: 'startWriting',
              params: { dialogId: auth.userId, userId: auth.userId, userName },
            });
          }
          return { result: true };
        }
        if (!opened.chat || !opened.member) throw accessError();
        const others = await messenger.db.query<{ user_id: number }>(
          'SELECT user_id FROM im_chat_members WHERE chat_id = $1 AND user_id <> $2',
          [opened.chat.id, auth.userId],
        );
        messenger.events.pushTransient(
          auth.portal.id,
          others.map((o) => o.user_id),
          {
            moduleId: 'im',
            command: 'startWriting',
            params: { dialogId: `chat${opened.chat.id}`, userId: auth.userId, userName },
          },
        );
        return { result: true };
      },
    }),
  ];
}

/** The chat a message to `ref` goes into, if the caller may write there, and who the event names. */
async function openForSending(messenger: Messenger, auth: AuthContext, ref: ReturnType<typeof readDialog>) {
  const opened = await messenger.directory.openForSending(auth.portal.id, auth.userId, ref);
  const users = [opened?.author, opened?.companion].filter((u) => u != null).map(imUserView);
  if (ref.kind === 'user') {
    if (!opened) throw imError('USER_NOT_FOUND', 'User not found');
    if (opened.chat && opened.member) return { chat: opened.chat, companionId: opened.companionId, users };
    const created = await messenger.sender.chatForUserDialog(auth.portal.id, auth.userId, ref.userId);
    if (!created?.chat) throw imError('CHAT_ID', 'Error creating message');
    return { chat: created.chat, companionId: ref.userId, users };
  }
  if (!opened?.chat || !opened.member) throw imError('ACCESS_ERROR', 'Action unavailable');
  return { chat: opened.chat, companionId: null, users };
}

function readMessageId(value: unknown): number {
  const id = readId(value);
  if (id === null) throw imError('MESSAGE_ID_ERROR', "Message ID can't be empty");
  return id;
}

function readCursor(value: unknown, code: string, description: string): number | null {
  if (value === undefined || value === '' || value === null) return null;
  const id = readId(value);
  if (id === null) {
    if (value === 0 || value === '0') return null;
    throw imError(code, description);
  }
  return id;
}

function readUuid(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > MAX_UUID_LENGTH) {
    throw imError('PARAMS_ERROR', `UUID must be a string of at most ${MAX_UUID_LENGTH} characters`);
  }
  return value;
}

function accessError() {
  return imError('ACCESS_ERROR', 'You do not have access to the specified dialog');
}
