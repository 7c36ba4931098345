import { type Ref, ref } from 'vue';
import { z } from 'zod';
import type { RestCaller } from '../../rest/rest-client.ts';
import type { DialogId, RecentItem } from '../api/messenger-schemas.ts';
import { sortRecent } from './recent-dialogs.ts';

const DialogIdParam = z.union([z.string(), z.number()]).transform(String);
const ChatPinParams = z.looseObject({ dialogId: DialogIdParam, active: z.boolean() });
const ChatMuteParams = z.looseObject({ dialogId: DialogIdParam, muted: z.boolean() });

/**
 * The reader's own choices for each chat, as Bitrix24 keeps them: pinned to the top of the list
 * (`im.recent.pin`; Bitrix24's "favourite" chats are its pinned ones) and muted (`im.chat.mute`,
 * group chats only: it still counts, but never notifies). Changes made on another device arrive
 * as `chatPin` and `chatMuteNotify`.
 */
export function createChatPreferences(rest: RestCaller, recent: Ref<RecentItem[]>, readerId: number) {
  /** Said under the list when a change was refused. */
  const error = ref('');

  function isMuted(item: RecentItem): boolean {
    return item.chat?.mute_list.includes(readerId) ?? false;
  }

  function withPinned(dialogId: DialogId, pinned: boolean): void {
    recent.value = sortRecent(recent.value.map((item) => (item.id === dialogId ? { ...item, pinned } : item)));
  }

  function withMuted(dialogId: DialogId, muted: boolean): void {
    recent.value = recent.value.map((item) => {
      if (item.id !== dialogId || !item.chat) return item;
      const others = item.chat.mute_list.filter((id) => id !== readerId);
      return { ...item, chat: { ...item.chat, mute_list: muted ? [...others, readerId] : others } };
    });
  }

  async function change(call: () => Promise<unknown>, apply: () => void, failure: string): Promise<void> {
    error.value = '';
    try {
      await call();
      apply();
    } catch {
      error.value = `${failure} Try again.`;
    }
  }

  return {
    error,
    isMuted,
    togglePin: (item: RecentItem) =>
      change(
        () => rest.call('im.recent.pin', { DIALOG_ID: item.id, PIN: item.pinned ? 'N' : 'Y' }),
        () => withPinned(item.id, !item.pinned),
        item.pinned ? 'Not unpinned.' : 'Not pinned.',
      ),
    toggleMute: (item: RecentItem) =>
      change(
        () => rest.call('im.chat.mute', { CHAT_ID: item.chat_id, MUTE: isMuted(item) ? 'N' : 'Y' }),
        () => withMuted(item.id, !isMuted(item)),
        isMuted(item) ? 'Not unmuted.' : 'Not muted.',
      ),
    /** True when `command` was one of these choices (applied here). */
    handlePull(command: string, params: unknown): boolean {
      if (command === 'chatPin') {
        const parsed = ChatPinParams.safeParse(params);
        if (parsed.success) withPinned(parsed.data.dialogId, parsed.data.active);
        return true;
      }
      if (command === 'chatMuteNotify') {
        const parsed = ChatMuteParams.safeParse(params);
        if (parsed.success) withMuted(parsed.data.dialogId, parsed.data.muted);
        return true;
      }
      return false;
    },
  };
}

export type ChatPreferences = ReturnType<typeof createChatPreferences>;
