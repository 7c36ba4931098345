import {
  imChatAddParams,
  imChatGetParams,
  imChatLeaveParams,
  imChatUserAddParams,
  imChatUserDeleteParams,
  imChatUserListParams,
  imDialogUsersListParams,
} from '@portaldesk/protocol';
import type { AuthContext } from '../../rest/auth-context.ts';
import { type RestMethod, restMethod } from '../../rest/rest-method.ts';
import { colorByName, colorFor } from '../colors.ts';
import type { Messenger } from '../messenger.ts';
import { imError } from '../messenger-error.ts';
import { isYes, readDialog, readId, readIdList, readText } from '../param-readers.ts';
import { loadImUsers } from '../users/im-user-view.ts';
import type { MemberRole } from './chat.ts';

const MAX_CHAT_USERS = 500;

/**
 * `im.chat.add`, `im.chat.get`, `im.chat.user.add`, `im.chat.user.list`, `im.chat.user.delete`,
 * `im.chat.leave`, `im.dialog.users.list`.
 */
export function chatMethods(messenger: Messenger): RestMethod[] {
  return [
    restMethod({
      name: 'im.chat.add',
      scope: 'im',
      readOnly: false,
      params: imChatAddParams,
      handle: async ({ auth, params }) => {
        const userIds = readIdList(params.USERS);
        if (userIds.length > MAX_CHAT_USERS)
          throw imError('PARAMS_ERROR', `A chat has at most ${MAX_CHAT_USERS} users`);
        const chat = await messenger.membership.create({
          portalId: auth.portal.id,
          ownerId: auth.userId,
          type: params.TYPE === 'OPEN' ? 'O' : 'C',
          title: params.TITLE ?? null,
          description: params.DESCRIPTION ?? '',
          color: colorByName(params.COLOR) ?? colorFor(auth.userId + userIds.length),
          entityType: params.ENTITY_TYPE ?? '',
          entityId: params.ENTITY_ID ?? '',
          userIds,
        });
        const first = params.MESSAGE === undefined ? '' : readText(params.MESSAGE);
        if (first.trim() !== '') {
          await messenger.sender.send({
            portalId: auth.portal.id,
            authorId: auth.userId,
            chat,
            companionId: null,
            text: first,
            params: {},
            replyId: null,
            uuid: null,
            system: false,
            users: await loadImUsers(messenger.db, auth.portal.id, [auth.userId]),
          });
        }
        return { result: chat.id };
      },
    }),
    restMethod({
      name: 'im.chat.get',
      scope: 'im',
      readOnly: true,
      params: imChatGetParams,
      handle: async ({ auth, params }) => {
        const entityType = readText(params.ENTITY_TYPE);
        const entityId = readText(params.ENTITY_ID);
        if (!entityType || !entityId) return { result: null };
        // Only chats the caller is in: a chat's existence is not told to outsiders. `<> ''` lets
        // the prepared statement's plan use the index of chats with an entity.
        const [row] = await messenger.db.query<{ id: number }>(
          `SELECT c.id FROM im_chats c JOIN im_chat_members m ON m.chat_id = c.id AND m.user_id = $4
           WHERE c.portal_id = $1 AND c.entity_type = $2 AND c.entity_type <> '' AND c.entity_id = $3
           ORDER BY c.id LIMIT 1`,
          [auth.portal.id, entityType, entityId, auth.userId],
        );
        return { result: row ? { ID: row.id } : null };
      },
    }),
    restMethod({
      name: 'im.chat.user.add',
      scope: 'im',
      readOnly: false,
      params: imChatUserAddParams,
      handle: async ({ auth, params }) => {
        const opened = await openGroupChat(messenger, auth, params.CHAT_ID);
        if (!opened.member)
          throw imError('ACCESS_DENIED_EXTEND', 'Insufficient permissions to add participants to the chat');
        const userIds = readIdList(params.USERS);
        if (userIds.length > MAX_CHAT_USERS)
          throw imError('PARAMS_ERROR', `A chat has at most ${MAX_CHAT_USERS} users`);
        const hideHistory = params.HIDE_HISTORY === undefined ? true : isYes(params.HIDE_HISTORY);
        await messenger.membership.addUsers(opened.chat, auth.userId, userIds, hideHistory);
        return { result: true };
      },
    }),
    restMethod({
      name: 'im.chat.user.list',
      scope: 'im',
      readOnly: true,
      params: imChatUserListParams,
      handle: async ({ auth, params }) => {
        const chatId = readChatId(params.CHAT_ID);
        const opened = await messenger.directory.openChat(auth.portal.id, auth.userId, chatId);
        // The docs: an empty list when the caller may not see the members.
        if (!opened?.chat || !opened.member) return { result: [] };
        return { result: await messenger.membership.memberIds(messenger.db, chatId) };
      },
    }),
    restMethod({
      name: 'im.dialog.users.list',
      scope: 'im',
      readOnly: true,
      params: imDialogUsersListParams,
      handle: async ({ auth, params }) => {
        const ref = readDialog(params.DIALOG_ID);
        const opened = await messenger.directory.open(auth.portal.id, auth.userId, ref);
        if (!opened) throw imError('ACCESS_ERROR', 'You do not have access to the specified dialog');
        if (ref.kind === 'user') {
          const pair = await loadImUsers(messenger.db, auth.portal.id, [auth.userId, ref.userId]);
          return { result: await messenger.live.decorate(auth.portal.id, pair) };
        }
        if (!opened.member || !opened.chat)
          throw imError('ACCESS_ERROR', 'You do not have access to the specified dialog');
        const ids = await messenger.membership.memberIds(messenger.db, opened.chat.id);
        const members = await loadImUsers(messenger.db, auth.portal.id, ids);
        return { result: await messenger.live.decorate(auth.portal.id, members) };
      },
    }),
    restMethod({
      name: 'im.chat.user.delete',
      scope: 'im',
      readOnly: false,
      params: imChatUserDeleteParams,
      handle: async ({ auth, params }) => {
        const opened = await openGroupChat(messenger, auth, params.CHAT_ID);
        const userId = readId(params.USER_ID);
        if (userId === null) throw imError('USER_ID_EMPTY', "User ID can't be empty");
        if (userId === auth.userId) throw imError('ACCESS_DENIED_KICK', 'Use im.chat.leave to leave a chat');
        const role = await messenger.membership.roleOf(opened.chat.id, userId);
        if (role === null) throw imError('ACCESS_DENIED_KICK', 'The user is not a participant of the chat');
        if (!mayRemove(opened.member?.role, role))
          throw imError('ACCESS_DENIED_KICK', 'Insufficient permissions to remove this participant');
        if (!(await messenger.membership.remove(opened.chat, auth.userId, userId)))
          throw imError('ACCESS_DENIED_KICK', 'The user is not a participant of the chat');
        return { result: true };
      },
    }),
    restMethod({
      name: 'im.chat.leave',
      scope: 'im',
      readOnly: false,
      params: imChatLeaveParams,
      handle: async ({ auth, params }) => {
        const opened = await openGroupChat(messenger, auth, params.CHAT_ID);
        const left = opened.member ? await messenger.membership.leave(opened.chat, auth.userId) : false;
        if (!left) throw imError('ACCESS_DENIED_KICK', 'The user is not a participant of the chat');
        return { result: true };
      },
    }),
  ];
}

/**
 * The owner removes anyone; a manager removes plain members; nobody removes the owner (who may
 * leave, handing the chat over).
 */
function mayRemove(byRole: MemberRole | undefined, targetRole: MemberRole): boolean {
  if (targetRole === 'owner') return false;
  return byRole === 'owner' || (byRole === 'manager' && targetRole === 'member');
}

function readChatId(value: unknown): number {
  const id = readId(value);
  if (id === null) throw imError('CHAT_ID_EMPTY', "Chat ID can't be empty");
  return id;
}

/** A group chat of the caller's portal; one-to-one dialogs and unknown chats are refused alike. */
async function openGroupChat(messenger: Messenger, auth: AuthContext, value: unknown) {
  const chatId = readChatId(value);
  const opened = await messenger.directory.openChat(auth.portal.id, auth.userId, chatId);
  if (!opened?.chat) throw imError('ACCESS_ERROR', 'Action unavailable');
  return { chat: opened.chat, member: opened.member };
}
