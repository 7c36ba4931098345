import type { DialogMessage } from '../api/messenger-schemas.ts';

/** One dialog's loaded messages, oldest first, and whether older ones remain on the server. */
export interface DialogHistory {
  messages: DialogMessage[];
  hasOlder: boolean;
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
  return { ...history, messages: mergeMessages(history.messages, [message]) };
}

export function oldestMessageId(history: DialogHistory): number | undefined {
  return history.messages[0]?.id;
}
