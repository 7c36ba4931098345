import type { DialogId, DialogMessage, RecentItem } from '../api/messenger-schemas.ts';

/**
 * How far the other side has read each dialog (a group chat: anyone else), as message ids: from
 * the recent list at load, then from `readMessageOpponent` and `readMessageChatOpponent`.
 */
export type OpponentReads = Record<DialogId, number>;

/** What the list says: a dialog whose last message is the reader's and `delivered` was read up to it. */
export function readsFromRecent(items: readonly RecentItem[], readerId: number): OpponentReads {
  const reads: OpponentReads = {};
  for (const item of items) {
    const message = item.message;
    if (message && message.author_id === readerId && message.status === 'delivered') reads[item.id] = message.id;
  }
  return reads;
}

/** Reads only move forward: a late or repeated event never takes a "Seen" back. */
export function withOpponentRead(reads: OpponentReads, dialogId: DialogId, lastId: number): OpponentReads {
  return (reads[dialogId] ?? 0) >= lastId ? reads : { ...reads, [dialogId]: lastId };
}

/** The reader's newest message in the history and whether the other side has seen it. */
export function ownLastStatus(
  messages: readonly DialogMessage[],
  readerId: number,
  readUpTo: number | undefined,
): { messageId: number; seen: boolean } | null {
  const last = messages.at(-1);
  if (!last || last.author_id !== readerId) return null;
  return { messageId: last.id, seen: (readUpTo ?? 0) >= last.id };
}
