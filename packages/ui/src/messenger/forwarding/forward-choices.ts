import type { DialogId, RecentItem } from '../api/messenger-schemas.ts';
import { matchesSearch } from '../state/name-search.ts';

/** A chat a message can be forwarded to, as the chooser lists it (the listbox wants a number id). */
export interface ForwardChoice {
  id: number;
  dialogId: DialogId;
  title: string;
  avatar: string;
}

/** The reader's chats, newest first as in their list, narrowed by what they typed. */
export function forwardChoices(recent: readonly RecentItem[], search: string): ForwardChoice[] {
  return recent
    .map((item, index) => ({
      id: index + 1,
      dialogId: item.id,
      title: item.title || item.id,
      avatar: item.avatar?.url ?? '',
    }))
    .filter((choice) => matchesSearch(choice.title, search));
}
