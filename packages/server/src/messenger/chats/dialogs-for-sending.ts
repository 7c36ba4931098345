import type { DialogRef } from '@portaldesk/protocol';
import type { Queryable } from '../../storage/database.ts';
import { lookupBatch } from '../../storage/lookup-batch.ts';
import type { ImUserRow } from '../users/im-user-view.ts';
import { CHAT_COLUMNS, type ChatRow, type MembershipRow, membershipOf, type OpenedDialog, toChat } from './chat.ts';

/** A dialog opened for sending, with the users a message event describes. */
export interface DialogForSending extends OpenedDialog {
  author: ImUserRow | null;
  companion: ImUserRow | null;
}

export interface SendingLookup {
  portalId: number;
  userId: number;
  ref: DialogRef;
}

/** The most lookups one query answers. */
const MAX_BATCH = 64;

interface Row extends Partial<ChatRow>, MembershipRow {
  lookup: number;
  author_id: number | null;
  author_first_name: string | null;
  author_last_name: string | null;
  author_email: string | null;
  author_active: boolean | null;
  author_photo_key: string | null;
  companion_user_id: number | null;
  companion_first_name: string | null;
  companion_last_name: string | null;
  companion_email: string | null;
  companion_active: boolean | null;
  companion_photo_key: string | null;
}

/**
 * Opens the dialogs that sends are addressed to, with the sender's membership and the users the
 * message event names. Sending is the hot path: the lookups of the sends that arrive together are
 * answered by one query (see lookupBatch),
 * as their writes are by the group commit.
 */
export class DialogsForSending {
  private readonly lookup: (lookup: SendingLookup) => Promise<DialogForSending | null>;

  constructor(private readonly db: Queryable) {
    this.lookup = lookupBatch((lookups) => this.openMany(lookups), MAX_BATCH);
  }

  /**
   * The dialog `ref` as `userId` sees it, or `null` when it does not exist in this portal (a
   * one-to-one dialog with a user of the portal exists even before its first message).
   */
  open(portalId: number, userId: number, ref: DialogRef): Promise<DialogForSending | null> {
    return this.lookup({ portalId, userId, ref });
  }

  private async openMany(lookups: readonly SendingLookup[]): Promise<(DialogForSending | null)[]> {
    const rows = await this.db.query<Row>(
      // Each lookup is a LATERAL subquery with LIMIT 1, so it runs as an index lookup per wanted
      // row. As plain joins, the generic plan (planned once, on a near-empty database) hashed
      // whole tables: its cost grew with every user and chat of the portal.
      `WITH wanted AS (
         SELECT t.*, t.ord - 1 AS lookup
         FROM unnest($1::int[], $2::int[], $3::int[], $4::int[]) WITH ORDINALITY AS t(portal_id, user_id, chat_id, companion_id, ord)
       )
       SELECT w.lookup, ${CHAT_COLUMNS}, m.role, m.start_id, m.last_read_id, m.unread_count,
              a.id AS author_id, a.first_name AS author_first_name, a.last_name AS author_last_name,
              a.email AS author_email, a.active AS author_active, a.photo_key AS author_photo_key,
              o.id AS companion_user_id, o.first_name AS companion_first_name, o.last_name AS companion_last_name,
              o.email AS companion_email, o.active AS companion_active, o.photo_key AS companion_photo_key
       FROM wanted w
       LEFT JOIN LATERAL (
         SELECT d.chat_id FROM im_private_dialogs d
         WHERE w.companion_id IS NOT NULL AND d.portal_id = w.portal_id
           AND d.user_low = least(w.user_id, w.companion_id) AND d.user_high = greatest(w.user_id, w.companion_id)
         LIMIT 1
       ) d ON true
       LEFT JOIN LATERAL (
         SELECT * FROM im_chats c
         WHERE c.id = coalesce(w.chat_id, d.chat_id) AND c.portal_id = w.portal_id
           AND (w.companion_id IS NOT NULL OR c.type IN ('C', 'O'))
         LIMIT 1
       ) c ON true
       LEFT JOIN LATERAL (
         SELECT * FROM im_chat_members m WHERE m.chat_id = c.id AND m.user_id = w.user_id LIMIT 1
       ) m ON true
       LEFT JOIN LATERAL (
         SELECT * FROM users a WHERE a.id = w.user_id AND a.portal_id = w.portal_id LIMIT 1
       ) a ON true
       LEFT JOIN LATERAL (
         SELECT * FROM users o WHERE o.id = w.companion_id AND o.portal_id = w.portal_id LIMIT 1
       ) o ON true`,
      [
        lookups.map((l) => l.portalId),
        lookups.map((l) => l.userId),
        lookups.map((l) => (l.ref.kind === 'chat' ? l.ref.chatId : null)),
        lookups.map((l) => (l.ref.kind === 'user' ? l.ref.userId : null)),
      ],
    );
    const byLookup = new Map(rows.map((row) => [row.lookup, row]));
    return lookups.map((lookup, index) => {
      const row = byLookup.get(index);
      return row ? dialogOf(lookup, row) : null;
    });
  }
}

function dialogOf(lookup: SendingLookup, row: Row): DialogForSending | null {
  const chat = row.id == null ? null : toChat(row as ChatRow);
  const author = userOf(
    row.author_id,
    row.author_first_name,
    row.author_last_name,
    row.author_email,
    row.author_active,
    row.author_photo_key,
  );
  const member = chat && membershipOf(row);
  if (lookup.ref.kind === 'chat') {
    return chat && { chat, member, companionId: null, author, companion: null };
  }
  const companion = userOf(
    row.companion_user_id,
    row.companion_first_name,
    row.companion_last_name,
    row.companion_email,
    row.companion_active,
    row.companion_photo_key,
  );
  if (!companion) return null;
  return { chat, member, companionId: lookup.ref.userId, author, companion };
}

function userOf(
  id: number | null,
  firstName: string | null,
  lastName: string | null,
  email: string | null,
  active: boolean | null,
  photoKey: string | null,
): ImUserRow | null {
  if (id === null) return null;
  return {
    id,
    first_name: firstName ?? '',
    last_name: lastName ?? '',
    email,
    active: active ?? true,
    photo_key: photoKey,
  };
}
