import type { DialogId, RecentItem } from '../api/messenger-schemas.ts';

/** Pinned dialogs first, then the most recently active. */
export function sortRecent(items: RecentItem[]): RecentItem[] {
  return [...items].sort((a, b) => {
    if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
    return activityTime(b) - activityTime(a);
  });
}

export interface IncomingMessage {
  dialogId: DialogId;
  message: { id: number; text: string; author_id: number; date: string };
  /** The dialog's unread counter after this message, as the server counts it. */
  counter: number;
  title?: string;
}

/** A new message moves its dialog to the top with the server's counter (a new dialog is added). */
export function withIncomingMessage(items: RecentItem[], incoming: IncomingMessage): RecentItem[] {
  const existing = items.find((item) => item.id === incoming.dialogId);
  const updated: RecentItem = {
    ...(existing ?? {
      id: incoming.dialogId,
      type: incoming.dialogId.startsWith('chat') ? 'chat' : 'user',
      pinned: false,
      unread: false,
      title: '',
    }),
    ...(incoming.title ? { title: incoming.title } : {}),
    message: incoming.message,
    counter: incoming.counter,
    date_update: incoming.message.date,
  };
  return sortRecent([updated, ...items.filter((item) => item.id !== incoming.dialogId)]);
}

/** The dialog was read (here or on another device): its counter is what the server says. */
export function withReadDialog(items: RecentItem[], dialogId: DialogId, counter: number): RecentItem[] {
  return items.map((item) => (item.id === dialogId ? { ...item, counter, unread: false } : item));
}

export function totalUnread(items: RecentItem[]): number {
  return items.reduce((sum, item) => sum + Math.max(0, item.counter), 0);
}

function activityTime(item: RecentItem): number {
  const time = Date.parse(item.message?.date ?? item.date_update ?? '');
  return Number.isNaN(time) ? 0 : time;
}
