import type { Queryable } from '../../storage/database.ts';
import { imError } from '../messenger-error.ts';

/**
 * Forwarding a message into another dialog, as Bitrix24's messenger does ("Forwarded from
 * <author>"): the copy is a new message of the forwarder's, with the text (and attachment block)
 * of the original, and params naming the original and its author. A forward of a forward names
 * the first author.
 */
export const FORWARD_ID = 'FORWARD_ID';
export const FORWARD_USER_ID = 'FORWARD_USER_ID';

export interface ForwardedCopy {
  text: string;
  params: Record<string, unknown>;
  /** Who wrote the original: the message event and the history describe them too. */
  originalAuthorId: number;
}

interface SourceRow {
  id: number;
  author_id: number;
  text: string;
  params: Record<string, unknown>;
  is_system: boolean;
  deleted_at: Date | null;
}

/**
 * The copy of message `messageId` that `userId` may forward: only a message they can read, in a
 * chat of this portal they are a member of (from when they joined). Deleted messages and notes
 * of the system are not forwarded.
 */
export async function forwardedCopy(
  db: Queryable,
  portalId: number,
  userId: number,
  messageId: number,
): Promise<ForwardedCopy> {
  const [row] = await db.query<SourceRow>(
    `SELECT m.id, m.author_id, m.text, m.params, m.is_system, m.deleted_at
     FROM im_messages m
     JOIN im_chat_members cm ON cm.chat_id = m.chat_id AND cm.user_id = $2
     WHERE m.id = $1 AND m.portal_id = $3 AND m.id >= cm.start_id`,
    [messageId, userId, portalId],
  );
  // A message of a chat the caller is not in is refused like one that does not exist.
  if (!row) throw imError('ACCESS_ERROR', 'You do not have access to this message');
  if (row.deleted_at !== null || row.is_system || row.author_id === 0) {
    throw imError('PARAMS_ERROR', 'This message cannot be forwarded');
  }
  const earlierAuthor = Number(row.params[FORWARD_USER_ID]);
  const earlierId = Number(row.params[FORWARD_ID]);
  const originalAuthorId = Number.isInteger(earlierAuthor) && earlierAuthor > 0 ? earlierAuthor : row.author_id;
  const params: Record<string, unknown> = {
    [FORWARD_ID]: Number.isInteger(earlierId) && earlierId > 0 ? earlierId : Number(row.id),
    [FORWARD_USER_ID]: originalAuthorId,
  };
  if (row.params.ATTACH) params.ATTACH = row.params.ATTACH;
  return { text: row.text, params, originalAuthorId };
}

/** The original authors a page of messages names, to describe beside the page's own authors. */
export function forwardedAuthorIds(messages: readonly { params: Record<string, unknown> }[]): number[] {
  return messages
    .map((message) => Number(message.params[FORWARD_USER_ID]))
    .filter((id) => Number.isInteger(id) && id > 0);
}
