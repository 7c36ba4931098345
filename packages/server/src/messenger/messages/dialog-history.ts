import type { ImDialogMessages, ImMessageView } from '@portaldesk/protocol';
import type { MessageFiles } from '../../files/message-files.ts';
import type { Database } from '../../storage/database.ts';
import { atomDate } from '../atom-date.ts';
import type { Chat, Membership } from '../chats/chat.ts';
import { loadImUsers } from '../users/im-user-view.ts';
import { forwardedAuthorIds } from './message-forwarding.ts';

interface MessageRow {
  id: number;
  chat_id: number;
  author_id: number;
  text: string;
  params: Record<string, unknown>;
  uuid: string | null;
  created_at: Date;
}

export interface HistoryPage {
  /** Messages older than this id. */
  lastId: number | null;
  /** Messages newer than this id. */
  firstId: number | null;
  limit: number;
}

/** A page of a chat's messages, newest first, as its member may see them. */
export class DialogHistory {
  constructor(
    private readonly db: Database,
    private readonly files: MessageFiles,
  ) {}

  async page(
    portalId: number,
    userId: number,
    chat: Chat,
    member: Membership,
    page: HistoryPage,
  ): Promise<ImDialogMessages> {
    const params: unknown[] = [chat.id, portalId, member.startId, page.limit];
    let range = '';
    if (page.firstId !== null) {
      params.push(page.firstId);
      range = `AND id > $${params.length}`;
    }
    if (page.lastId !== null) {
      params.push(page.lastId);
      range += ` AND id < $${params.length}`;
    }
    // Newer-than pages are read oldest first, so that the LIMIT keeps the ones right after FIRST_ID.
    const order = page.firstId !== null && page.lastId === null ? 'ASC' : 'DESC';
    const rows = await this.db.query<MessageRow>(
      `SELECT id, chat_id, author_id, text, params, uuid, created_at FROM im_messages
       WHERE chat_id = $1 AND portal_id = $2 AND id >= $3 ${range}
       ORDER BY id ${order} LIMIT $4`,
      params,
    );
    if (order === 'ASC') rows.reverse();
    // The authors of forwarded originals too: the screens name them ("Forwarded from …").
    const users = await loadImUsers(this.db, portalId, [...rows.map((r) => r.author_id), ...forwardedAuthorIds(rows)]);
    return {
      chat_id: chat.id,
      messages: rows.map((r) => messageView(r, userId, member.lastReadId)),
      users,
      files: await this.files.ofMessages(
        portalId,
        rows.filter((r) => r.params.FILE_ID !== undefined).map((r) => Number(r.id)),
      ),
    };
  }
}

function messageView(row: MessageRow, viewerId: number, lastReadId: number): ImMessageView {
  const id = Number(row.id);
  return {
    id,
    chat_id: row.chat_id,
    author_id: row.author_id,
    date: atomDate(new Date(row.created_at)),
    text: row.text,
    unread: row.author_id !== viewerId && id > lastReadId,
    uuid: row.uuid,
    replaces: [],
    params: Object.keys(row.params).length === 0 ? [] : row.params,
    disappearing_date: null,
  };
}
