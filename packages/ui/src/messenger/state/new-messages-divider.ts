import { type DialogMessage, SYSTEM_AUTHOR_ID } from '../api/messenger-schemas.ts';
import { isDeleted } from './message-changes.ts';

/**
 * "New messages": a line above the first message the reader had not read when they opened the
 * dialog. It marks where they left off, and stays put while they read (as in Slack and Bitrix24)
 * until the dialog is opened again.
 */

/** The dialog as the reader found it on opening it. */
export interface OpenedDialog {
  /**
   * Its unread counter then: the messages from others after the reader's read mark (Bitrix24
   * counts neither system notes nor deleted messages).
   */
  unread: number;
  /** Its newest message then; later ones arrived while it was open and were read as they came. */
  newestId: number;
}

/**
 * The message the line goes above: the `unread`-th newest counted message at opening. While fewer
 * are loaded, the oldest loaded one; older pages move the line up to where the unread run began.
 * The counter, not the messages' `unread` flags, decides, because a page loaded after the reader
 * has read carries flags of that later moment.
 */
export function newMessagesDivider(
  messages: readonly DialogMessage[],
  readerId: number,
  opened: OpenedDialog,
): number | null {
  if (opened.unread <= 0) return null;
  let counted = 0;
  let oldest: number | null = null;
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]!;
    if (message.id > opened.newestId) continue;
    if (message.author_id === readerId || message.author_id === SYSTEM_AUTHOR_ID || isDeleted(message)) continue;
    oldest = message.id;
    counted += 1;
    if (counted === opened.unread) break;
  }
  return oldest;
}

/** `messages` in the part before the line and the part from it on; one part when it is not among them. */
export function splitAtDivider<M extends { id: number }>(
  messages: readonly M[],
  dividerId: number | null,
): { afterDivider: boolean; messages: M[] }[] {
  const at = dividerId === null ? -1 : messages.findIndex((message) => message.id === dividerId);
  if (at === -1) return [{ afterDivider: false, messages: [...messages] }];
  const parts = [{ afterDivider: true, messages: messages.slice(at) }];
  return at === 0 ? parts : [{ afterDivider: false, messages: messages.slice(0, at) }, ...parts];
}
