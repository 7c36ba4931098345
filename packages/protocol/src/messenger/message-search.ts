import { z } from 'zod';
import type { ImReactionsView, ImReactionUserShort } from './message-reactions.ts';
import type { ImMessageView, ImUserView } from './messenger-views.ts';

/**
 * Message search: `im.dialog.messages.search` (one chat, as the Bitrix24 docs name and shape it)
 * and `im.search.message.list` (every chat the caller belongs to; ours — the docs have no such
 * method — named after the documented `im.search.chat.list` / `im.search.user.list` family).
 * Loosely typed fields are checked by the method, so that the caller gets the documented code.
 */
const loose = z.unknown().optional();

export const imDialogMessagesSearchParams = z.looseObject({
  CHAT_ID: loose,
  /** Searched when longer than 2 characters (the docs). */
  SEARCH_MESSAGE: loose,
  DATE_FROM: loose,
  DATE_TO: loose,
  DATE: loose,
  /** `{ID: 'ASC'|'DESC'}`: message order with LAST_ID paging; without it, relevance then date. */
  ORDER: loose,
  LIMIT: loose,
  LAST_ID: loose,
  /** Ours: the page of a relevance-ordered search, as a count of results to skip. */
  OFFSET: loose,
});

export const imSearchMessageListParams = z.looseObject({
  SEARCH_MESSAGE: loose,
  LIMIT: loose,
  OFFSET: loose,
});

/** The shortest search string that is searched (the docs: "longer than 2 characters"). */
export const MIN_SEARCH_LENGTH = 3;

/**
 * Only the last word of a search, the one still being typed, matches the words it begins, and
 * only from four letters; the others match whole words. (A prefix match reads the index entries
 * of every word it begins — of a short or common one, a great part of the index — while a whole
 * word is skipped through.) The server searches so, and the screens mark matches so.
 */
export function matchesAsPrefix(word: string, last: boolean): boolean {
  return last && [...word].length >= 4;
}

/** A found message: the documented message fields (`isSystem`, `viewed`, …). */
export interface ImFoundMessageView extends Omit<ImMessageView, 'replaces' | 'disappearing_date'> {
  isSystem: boolean;
  forward: null;
  viewedByOthers: boolean;
  viewed: boolean;
}

/** The result of both search methods (`im.dialog.messages.search` as documented). */
export interface ImMessageSearchResult {
  messages: ImFoundMessageView[];
  users: ImUserView[];
  files: unknown[];
  additionalMessages: unknown[];
  copilot: null;
  stickers: unknown[];
  reactions: ImReactionsView[];
  tariffRestrictions: { isHistoryLimitExceeded: boolean };
  usersShort: ImReactionUserShort[];
  /** Ours, in `im.search.message.list`: each found message's dialog as the caller sees it, by chat id. */
  dialogs?: Record<string, ImFoundDialog>;
  /** Ours: whether another page follows (ask with OFFSET, or LAST_ID in id order). */
  hasNextPage: boolean;
}

/** Where a found message lives, so that a client can name it and open it. */
export interface ImFoundDialog {
  dialogId: number | string;
  chatId: number;
  title: string;
  type: 'private' | 'chat' | 'open';
}
