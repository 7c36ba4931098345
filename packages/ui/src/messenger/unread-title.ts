import { type ComputedRef, watchEffect } from 'vue';
import type { MessengerStore } from './messenger-store.ts';

/** The page title with the unread count in front, as a tab or a taskbar entry shows it: "(3) Portaldesk". */
export function titleWithUnread(base: string, unread: number): string {
  if (unread <= 0) return base;
  return `(${unread > 99 ? '99+' : unread}) ${base}`;
}

/** Keeps the page title counting the signed-in user's unread messages. */
export function useUnreadTitle(messenger: ComputedRef<MessengerStore | null>, base = document.title): void {
  watchEffect(() => {
    document.title = titleWithUnread(base, messenger.value?.unreadTotal.value ?? 0);
  });
}
