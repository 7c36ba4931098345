import type { DialogMessage } from '../api/messenger-schemas.ts';

/** One dialog's loaded messages, oldest first, and whether older ones remain on the server. */
export interface DialogHistory {
  messages: DialogMessage[];
  hasOlder: boolean;
  /**
   * Newer messages remain on the server: the history was opened around an older message (a
   * search result), and is read forward from there. New messages wait until it reaches them.
   */
  hasNewer?: boolean;
}

export const emptyHistory = (): DialogHistory => ({ messages: [], hasOlder: true });

/** Messages by id, each once, oldest first; a later copy of a message replaces an earlier one. */
export function mergeMessages(existing: DialogMessage[], incoming: DialogMessage[]): DialogMessage[] {
  const byId = new Map<number, DialogMessage>();
  for (const message of existing) byId.set(message.id, message);
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** A page of older messages added; a short page means the beginning of the dialog was reached. */
export function withOlderPage(history: DialogHistory, page: DialogMessage[], pageSize: number): DialogHistory {
  return { messages: mergeMessages(history.messages, page), hasOlder: page.length >= pageSize };
}

export function withMessage(history: DialogHistory, message: DialogMessage): DialogHistory {
  // Not next to what is loaded: it comes with the newer pages, in its place.
  if (history.hasNewer) return history;
  return { ...history, messages: mergeMessages(history.messages, [message]) };
}

/**
 * The history around one message: `older` holds it and what came before (newest first or not),
 * `newer` what came after; a short page on either side means that end was reached.
 */
export function historyAround(older: DialogMessage[], newer: DialogMessage[], pageSize: number): DialogHistory {
  return {
    messages: mergeMessages(older, newer),
    hasOlder: older.length >= pageSize,
    hasNewer: newer.length >= pageSize,
  };
}

/** A page of newer messages added; a short page means the newest message was reached. */
export function withNewerPage(history: DialogHistory, page: DialogMessage[], pageSize: number): DialogHistory {
  return { ...history, messages: mergeMessages(history.messages, page), hasNewer: page.length >= pageSize };
}

export function newestMessageId(history: DialogHistory): number | undefined {
  return history.messages.at(-1)?.id;
}

export function oldestMessageId(history: DialogHistory): number | undefined {
  return history.messages[0]?.id;
}
