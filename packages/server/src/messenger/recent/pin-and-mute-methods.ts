import { imChatMuteParams, imRecentPinParams } from '@portaldesk/protocol';
import { type RestMethod, restMethod } from '../../rest/rest-method.ts';
import type { Messenger } from '../messenger.ts';
import { imError } from '../messenger-error.ts';
import { readDialog, readId } from '../param-readers.ts';

/**
 * A member's own choices for a chat, as the Bitrix24 docs define them: `im.recent.pin`
 * (`DIALOG_ID`, `PIN` Y by default) keeps a dialog at the top of their chat list, and
 * `im.chat.mute` (`CHAT_ID`, `MUTE` Y/N) silences a group chat's notifications while it still
 * counts. Their other devices hear of it (`chatPin`, `chatMuteNotify`).
 */
export function pinAndMuteMethods(messenger: Messenger): RestMethod[] {
  return [
    restMethod({
      name: 'im.recent.pin',
      scope: 'im',
      readOnly: false,
      params: imRecentPinParams,
      handle: async ({ auth, params }) => {
        const ref = readDialog(params.DIALOG_ID);
        const opened = await messenger.directory.open(auth.portal.id, auth.userId, ref);
        if (!opened?.chat || !opened.member)
          throw imError('ACCESS_ERROR', "You don't have permission to pin this chat");
        const pin = params.PIN === undefined || String(params.PIN).trim().toUpperCase() !== 'N';
        const dialogId = ref.kind === 'chat' ? `chat${ref.chatId}` : ref.userId;
        await changeMembership(messenger, auth.portal.id, auth.userId, opened.chat.id, {
          set: pin ? 'pinned_at = COALESCE(pinned_at, now())' : 'pinned_at = NULL',
          command: 'chatPin',
          params: { dialogId, active: pin },
        });
        return { result: true };
      },
    }),
    restMethod({
      name: 'im.chat.mute',
      scope: 'im',
      readOnly: false,
      params: imChatMuteParams,
      handle: async ({ auth, params }) => {
        const chatId = readId(params.CHAT_ID);
        if (chatId === null) throw imError('CHAT_ID_EMPTY', "Chat ID can't be empty");
        const mute = String(params.MUTE ?? '')
          .trim()
          .toUpperCase();
        if (mute !== 'Y' && mute !== 'N') throw imError('PARAMS_ERROR', 'MUTE must be Y or N');
        const opened = await messenger.directory.openChat(auth.portal.id, auth.userId, chatId);
        if (!opened?.chat || !opened.member) throw imError('ACCESS_ERROR', 'Action unavailable');
        await changeMembership(messenger, auth.portal.id, auth.userId, chatId, {
          set: `muted = ${mute === 'Y'}`,
          command: 'chatMuteNotify',
          params: { chatId, dialogId: `chat${chatId}`, muted: mute === 'Y', mute: mute === 'Y', lines: false },
        });
        return { result: true };
      },
    }),
  ];
}

/** Changes the user's own membership row and tells the user's devices, in one transaction. */
async function changeMembership(
  messenger: Messenger,
  portalId: number,
  userId: number,
  chatId: number,
  change: { set: string; command: string; params: Record<string, unknown> },
): Promise<void> {
  const recorded = await messenger.db.transaction(async (tx) => {
    await tx.query(`UPDATE im_chat_members SET ${change.set} WHERE chat_id = $1 AND user_id = $2 AND portal_id = $3`, [
      chatId,
      userId,
      portalId,
    ]);
    return messenger.events.record(tx, portalId, [userId], {
      moduleId: 'im',
      command: change.command,
      params: change.params,
    });
  });
  messenger.events.announce(recorded);
}
