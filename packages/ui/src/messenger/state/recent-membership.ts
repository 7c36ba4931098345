import type { DialogId, RecentItem } from '../api/messenger-schemas.ts';
import { sortRecent } from './recent-dialogs.ts';

/** The reader is in a group chat now (created it, or was added): it shows in the list at once. */
export function withJoinedChat(
  items: RecentItem[],
  dialogId: DialogId,
  chat: { title: string; owner: number; date: string },
): RecentItem[] {
  const { title, owner, date } = chat;
  if (items.some((item) => item.id === dialogId)) {
    return items.map((item) =>
      item.id === dialogId
        ? { ...item, title: title || item.title, chat: { manager_list: [], mute_list: [], ...item.chat, owner } }
        : item,
    );
  }
  const joined: RecentItem = {
    id: dialogId,
    chat_id: Number(dialogId.slice('chat'.length)),
    type: 'chat',
    title,
    counter: 0,
    pinned: false,
    unread: false,
    date_update: date,
    chat: { owner, manager_list: [], mute_list: [] },
  };
  return sortRecent([joined, ...items]);
}

/** The reader left the chat or was removed from it: it goes from the list. */
export function withoutDialog(items: RecentItem[], dialogId: DialogId): RecentItem[] {
  return items.filter((item) => item.id !== dialogId);
}

/** The chat's new picture, in its list item (the colour stays). */
export function withChatAvatar(items: RecentItem[], dialogId: DialogId, url: string): RecentItem[] {
  return items.map((item) =>
    item.id === dialogId ? { ...item, avatar: { url, color: item.avatar?.color ?? '' } } : item,
  );
}
