import type { DialogMessage } from '../api/messenger-schemas.ts';

/**
 * The message id to mark the dialog read up to, or null when nothing new was seen: the newest
 * message the reader has on screen, when it is newer than the last mark and not their own.
 */
export function nextReadMark(
  messages: DialogMessage[],
  lastVisibleId: number | undefined,
  lastMarkedId: number,
  readerId: number,
): number | null {
  if (lastVisibleId === undefined || lastVisibleId <= lastMarkedId) return null;
  const unseenFromOthers = messages.some(
    (message) => message.id > lastMarkedId && message.id <= lastVisibleId && message.author_id !== readerId,
  );
  return unseenFromOthers ? lastVisibleId : null;
}
