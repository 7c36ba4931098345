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

interface MemberChat {
  chat_id: number;
  start_id: number;
  last_read_id: number;
}

/**
 * Past `candidates` matches in the caller's chats, a search is of a very common word: ranking
 * them all would read them all, so the newest `perChat` matches of each chat are ranked instead.
 */
export interface SearchBounds {
  candidates: number;
  perChat: number;
}
export const DEFAULT_SEARCH_BOUNDS: SearchBounds = { candidates: 2000, perChat: 25 };

const FOUND_COLUMNS =
  'msg.id, msg.chat_id, msg.author_id, msg.is_system, msg.text, msg.params, msg.uuid, msg.created_at';

/** Parameters of a statement being written: `add` gives the placeholder of the next one. */
class Params {
  constructor(readonly values: unknown[]) {}
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

function dateRange(query: MessageSearchQuery, sql: Params): string {
  return [
    query.from ? `AND msg.created_at >= ${sql.add(query.from)}` : '',
    query.to ? `AND msg.created_at < ${sql.add(query.to)}` : '',
  ].join(' ');
}

/**
 * The caller's chats, `mine(chat_id, start_id, query)`, each with the words searched as a query of
 * its (chat, word) keys (migration 19), and the plain query as `words(query)` to rank by. Each is
 * made once a statement: OFFSET 0 keeps the planner from moving the expressions into the scans,
 * where the generic plan makes them again for every row.
 */
function chatQueries(words: readonly string[], sql: Params): string {
  return `(SELECT to_tsquery('portaldesk_search', ${sql.add(prefixQuery(words))}) AS query OFFSET 0) words
    CROSS JOIN LATERAL (
      SELECT chat_id, start_id, search_chat_query(chat_id, words.query) AS query
      FROM unnest($1::int[], $2::bigint[]) AS chat(chat_id, start_id) OFFSET 0
    ) mine`;
}

/**
 * The matches of `mine`'s chat, as `msg`: the (chat, word) index's alone, other conditions being
 * filters of them (OFFSET 0 again: in the generic plan, the planner would intersect the index
 * with a read of the id index from the member's first message on, or of the whole chat). The
 * plain vector has the last word: the keys have no positions, for a word the parser splits.
 */
const CHAT_MATCHES = `(
  SELECT * FROM im_messages
  WHERE search_chat_words(chat_id, search_vector) @@ mine.query AND ts_match_vq(search_vector, words.query)
  OFFSET 0
) msg`;

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
    private readonly bounds: SearchBounds = DEFAULT_SEARCH_BOUNDS,
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
    // The chats searched, with where each member's visible history starts and what they read.
    const chats = await this.db.query<MemberChat>(
      `SELECT m.chat_id, m.start_id, m.last_read_id FROM im_chat_members m JOIN im_chats c ON c.id = m.chat_id
       WHERE m.user_id = $1 AND m.portal_id = $2 AND c.type IN ('P', 'C', 'O')
         ${query.chatId === null ? '' : 'AND m.chat_id = $3'}`,
      query.chatId === null ? [query.userId, query.portalId] : [query.userId, query.portalId, query.chatId],
    );
    const filtered = query.words.length > 0 || query.from !== null || query.to !== null;
    if (chats.length === 0 || !filtered) return [];
    const lastRead = new Map(chats.map((c) => [c.chat_id, Number(c.last_read_id)]));
    let rows: Omit<FoundRow, 'last_read_id'>[] | null = null;
    if (query.order === 'relevance' && query.words.length > 0) rows = await this.bestOfAllMatches(query, chats);
    rows ??= await this.newestMatchesOfEachChat(query, chats);
    return rows.map((row) => ({ ...row, last_read_id: lastRead.get(row.chat_id) ?? 0 }));
  }

  /**
   * Relevance over every match, when there are fewer than `bounds.candidates`: chat by chat, a
   * read of the chat's own keys in the (chat, word) index (migration 19), so that what is read
   * is bounded by the caller's chats, whatever the word. `null` when there are more (a very
   * common word): then the newest matches of each chat are ranked instead.
   */
  private async bestOfAllMatches(
    query: MessageSearchQuery,
    chats: readonly MemberChat[],
  ): Promise<Omit<FoundRow, 'last_read_id'>[] | null> {
    const sql = new Params([
      chats.map((c) => c.chat_id),
      chats.map((c) => c.start_id),
      this.bounds.candidates,
      query.limit + 1,
      query.offset,
    ]);
    const rows = await this.db.query<Omit<FoundRow, 'last_read_id'> & { candidates: number }>(
      `SELECT *, count(*) OVER () AS candidates FROM (
         SELECT ${FOUND_COLUMNS}, ts_rank(msg.search_vector, words.query) AS rank
         FROM ${chatQueries(query.words, sql)} CROSS JOIN LATERAL ${CHAT_MATCHES}
         WHERE msg.id >= mine.start_id ${dateRange(query, sql)}
         LIMIT $3
       ) found
       ORDER BY rank DESC, id DESC LIMIT $4 OFFSET $5`,
      sql.values,
    );
    if (Number(rows[0]?.candidates ?? 0) >= this.bounds.candidates) return null;
    return rows;
  }

  /**
   * Each chat's newest matches: message order, exact with LAST_ID paging; or, for a very common
   * word, the `bounds.perChat` newest of each chat ranked by relevance. A chat with fewer matches
   * than that gives them all from the (chat, word) index; one with more is read backwards along
   * its messages (the (chat, id) index) until enough are found, a few rows when a word is common.
   * The read backwards alone would read all of a long chat where the word is rare or absent.
   */
  private async newestMatchesOfEachChat(
    query: MessageSearchQuery,
    chats: readonly MemberChat[],
  ): Promise<Omit<FoundRow, 'last_read_id'>[]> {
    const byRelevance = query.order === 'relevance' && query.words.length > 0;
    const ascending = query.order === 'ASC';
    const perChat = byRelevance ? this.bounds.perChat : query.limit + 1;
    const sql = new Params([chats.map((c) => c.chat_id), chats.map((c) => c.start_id), perChat, query.limit + 1]);
    const lastId =
      query.lastId !== null && !byRelevance ? `AND msg.id ${ascending ? '>' : '<'} ${sql.add(query.lastId)}` : '';
    const filters = `AND msg.id >= mine.start_id ${lastId} ${dateRange(query, sql)}`;
    const newest = `ORDER BY msg.id ${ascending ? 'ASC' : 'DESC'} LIMIT $3`;
    const order = byRelevance ? 'found.rank DESC, found.id DESC' : `found.id ${ascending ? 'ASC' : 'DESC'}`;
    const offset = byRelevance ? `OFFSET ${sql.add(query.offset)}` : '';
    const chatMessages = `im_messages msg WHERE msg.chat_id = mine.chat_id AND msg.deleted_at IS NULL ${filters}`;
    if (query.words.length === 0) {
      // Dates alone: the chat's newest messages in the range.
      return this.db.query<Omit<FoundRow, 'last_read_id'>>(
        `SELECT found.* FROM unnest($1::int[], $2::bigint[]) AS mine(chat_id, start_id)
         CROSS JOIN LATERAL (SELECT ${FOUND_COLUMNS}, 0 AS rank FROM ${chatMessages} ${newest}) found
         ORDER BY ${order} LIMIT $4`,
        sql.values,
      );
    }
    const rank = 'ts_rank(msg.search_vector, words.query)';
    // `indexed.n` gates each branch: the one not taken is not run at all. The first one's LIMIT
    // changes nothing but the planner's estimate, which without it (5,000 rows a chat) passes
    // `jit_above_cost`: a generic plan is compiled again at every run (~18 ms), where JIT is on.
    return this.db.query<Omit<FoundRow, 'last_read_id'>>(
      `SELECT found.* FROM ${chatQueries(query.words, sql)}
       CROSS JOIN LATERAL (SELECT count(*) AS n FROM (SELECT 1 FROM ${CHAT_MATCHES} WHERE true ${filters} LIMIT $3) few) indexed
       CROSS JOIN LATERAL (
         (SELECT ${FOUND_COLUMNS}, ${rank} AS rank FROM ${CHAT_MATCHES} WHERE indexed.n < $3 ${filters} LIMIT $3)
         UNION ALL
         (SELECT ${FOUND_COLUMNS}, ${rank} AS rank FROM ${chatMessages}
            AND indexed.n >= $3 AND ts_match_vq(msg.search_vector, words.query) ${newest})
       ) found
       ORDER BY ${order} LIMIT $4 ${offset}`,
      sql.values,
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
