import type { ImFoundDialog, ImFoundMessageView, ImMessageSearchResult } from '@portaldesk/protocol';
import type { Database } from '../../storage/database.ts';
import { fullName } from '../../users/user.ts';
import { atomDate } from '../atom-date.ts';
import type { MessageReactions } from '../reactions/message-reactions.ts';
import { loadImUsers } from '../users/im-user-view.ts';
import { prefixQuery } from './search-query.ts';

export interface MessageSearchQuery {
  portalId: number;
  userId: number;
  /** One chat, or every chat the user belongs to. */
  chatId: number | null;
  words: readonly string[];
  from: Date | null;
  to: Date | null;
  /** `relevance`: best match first, then newest; or message order with `lastId` paging. */
  order: 'relevance' | 'ASC' | 'DESC';
  lastId: number | null;
  offset: number;
  limit: number;
}

interface FoundRow {
  id: number;
  chat_id: number;
  author_id: number;
  is_system: boolean;
  text: string;
  params: Record<string, unknown>;
  uuid: string | null;
  created_at: Date;
  last_read_id: number;
}

interface DialogRow {
  id: number;
  type: 'P' | 'C' | 'O';
  title: string;
  companion_id: number | null;
  companion_first_name: string | null;
  companion_last_name: string | null;
}

/**
 * Full-text search over the messages a user may see: only chats they are a member of, from the
 * message they joined at, never deleted messages (whose text is gone from the index), edited
 * ones by their current text. See migration 15 for the index.
 */
export class MessageSearch {
  constructor(
    private readonly db: Database,
    private readonly reactions: MessageReactions,
  ) {}

  async search(query: MessageSearchQuery): Promise<ImMessageSearchResult> {
    const { portalId, userId } = query;
    const rows = await this.find(query);
    const hasNextPage = rows.length > query.limit;
    const page = rows.slice(0, query.limit);
    const messages = page.map((row) => foundMessageView(row, userId));
    const users = await loadImUsers(
      this.db,
      portalId,
      page.map((r) => r.author_id),
    );
    const { reactions, usersShort } = await this.reactions.ofMessages(
      portalId,
      userId,
      page.map((r) => Number(r.id)),
    );
    const result: ImMessageSearchResult = {
      messages,
      users,
      files: [],
      additionalMessages: [],
      copilot: null,
      stickers: [],
      reactions,
      tariffRestrictions: { isHistoryLimitExceeded: false },
      usersShort,
      hasNextPage,
    };
    if (query.chatId === null) result.dialogs = await this.dialogsOf(portalId, userId, page);
    return result;
  }

  private async find(query: MessageSearchQuery): Promise<FoundRow[]> {
    // The chats searched, with where each member's visible history starts. The chat ids also
    // go to the search itself as an array, so that it reads the (chat, word) index for them.
    const chats = await this.db.query<{ chat_id: number; start_id: number }>(
      `SELECT m.chat_id, m.start_id FROM im_chat_members m JOIN im_chats c ON c.id = m.chat_id
       WHERE m.user_id = $1 AND m.portal_id = $2 AND c.type IN ('P', 'C', 'O')
         ${query.chatId === null ? '' : 'AND m.chat_id = $3'}`,
      query.chatId === null ? [query.userId, query.portalId] : [query.userId, query.portalId, query.chatId],
    );
    const filtered = query.words.length > 0 || query.from !== null || query.to !== null;
    if (chats.length === 0 || !filtered) return [];
    const params: unknown[] = [
      chats.map((c) => c.chat_id),
      chats.map((c) => c.start_id),
      query.portalId,
      query.userId,
      query.limit + 1,
    ];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [];
    const tsQuery =
      query.words.length > 0 ? `to_tsquery('portaldesk_search', ${param(prefixQuery(query.words))})` : null;
    if (tsQuery) where.push(`AND msg.search_vector @@ ${tsQuery}`);
    if (query.from) where.push(`AND msg.created_at >= ${param(query.from)}`);
    if (query.to) where.push(`AND msg.created_at < ${param(query.to)}`);
    const byRelevance = query.order === 'relevance' && tsQuery !== null;
    if (query.lastId !== null && !byRelevance) {
      where.push(`AND msg.id ${query.order === 'ASC' ? '>' : '<'} ${param(query.lastId)}`);
    }
    const orderBy = byRelevance
      ? `ts_rank(msg.search_vector, ${tsQuery}) DESC, msg.id DESC`
      : `msg.id ${query.order === 'ASC' ? 'ASC' : 'DESC'}`;
    const offset = byRelevance ? `OFFSET ${param(query.offset)}` : '';
    return this.db.query<FoundRow>(
      `WITH mine AS (SELECT * FROM unnest($1::int[], $2::bigint[]) AS t(chat_id, start_id))
       SELECT msg.id, msg.chat_id, msg.author_id, msg.is_system, msg.text, msg.params, msg.uuid, msg.created_at,
              mem.last_read_id
       FROM im_messages msg
       JOIN mine ON mine.chat_id = msg.chat_id
       JOIN im_chat_members mem ON mem.chat_id = msg.chat_id AND mem.user_id = $4
       WHERE msg.chat_id = ANY($1::int[]) AND msg.portal_id = $3 AND msg.deleted_at IS NULL
         AND msg.id >= mine.start_id ${where.join(' ')}
       ORDER BY ${orderBy} LIMIT $5 ${offset}`,
      params,
    );
  }

  /** Each found message's dialog as the user sees it: a colleague's name, or the chat's title. */
  private async dialogsOf(portalId: number, userId: number, rows: readonly FoundRow[]) {
    const chatIds = [...new Set(rows.map((r) => r.chat_id))];
    if (chatIds.length === 0) return {};
    const dialogs = await this.db.query<DialogRow>(
      `SELECT c.id, c.type, c.title, u.id AS companion_id,
              u.first_name AS companion_first_name, u.last_name AS companion_last_name
       FROM im_chats c
       LEFT JOIN im_private_dialogs d ON d.chat_id = c.id
       LEFT JOIN users u ON u.id = CASE WHEN d.user_low = $3 THEN d.user_high ELSE d.user_low END
       WHERE c.id = ANY($1::int[]) AND c.portal_id = $2`,
      [chatIds, portalId, userId],
    );
    const found: Record<string, ImFoundDialog> = {};
    for (const d of dialogs) {
      const isPrivate = d.type === 'P' && d.companion_id !== null;
      found[String(d.id)] = {
        dialogId: isPrivate ? (d.companion_id as number) : `chat${d.id}`,
        chatId: d.id,
        title: isPrivate
          ? fullName({ firstName: d.companion_first_name ?? '', lastName: d.companion_last_name ?? '' })
          : d.title,
        type: d.type === 'P' ? 'private' : d.type === 'O' ? 'open' : 'chat',
      };
    }
    return found;
  }
}

function foundMessageView(row: FoundRow, viewerId: number): ImFoundMessageView {
  const id = Number(row.id);
  const unread = row.author_id !== viewerId && id > Number(row.last_read_id);
  return {
    id,
    chat_id: row.chat_id,
    author_id: row.author_id,
    date: atomDate(new Date(row.created_at)),
    text: row.text,
    isSystem: row.is_system,
    uuid: row.uuid,
    forward: null,
    params: Object.keys(row.params).length === 0 ? [] : row.params,
    // Whether others have read it is not asked of the search; only the caller's own reading is.
    viewedByOthers: false,
    unread,
    viewed: !unread,
  };
}
