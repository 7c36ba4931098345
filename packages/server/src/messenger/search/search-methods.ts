import { imDialogMessagesSearchParams, imSearchMessageListParams, MIN_SEARCH_LENGTH } from '@portaldesk/protocol';
import { type RestMethod, restMethod } from '../../rest/rest-method.ts';
import type { Messenger } from '../messenger.ts';
import { imError } from '../messenger-error.ts';
import { readId, readText } from '../param-readers.ts';
import type { MessageSearchQuery } from './message-search.ts';
import { searchWords } from './search-query.ts';

/** The docs: 50 by default, at most 200. */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const MAX_OFFSET = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `im.dialog.messages.search` (one chat, as documented) and `im.search.message.list` (ours:
 * every chat of the caller; the docs have no method for it). Both rank by relevance, then
 * newest first, unless `ORDER[ID]` asks for message order (the documented LAST_ID paging).
 */
export function searchMethods(messenger: Messenger): RestMethod[] {
  return [
    restMethod({
      name: 'im.dialog.messages.search',
      scope: 'im',
      readOnly: true,
      params: imDialogMessagesSearchParams,
      handle: async ({ auth, params }) => {
        const chatId = readId(params.CHAT_ID);
        if (chatId === null) throw imError('CHAT_ID_EMPTY', "CHAT_ID can't be empty");
        const opened = await messenger.directory.openChat(auth.portal.id, auth.userId, chatId, undefined, true);
        if (!opened?.member) throw imError('ACCESS_ERROR', 'You do not have access to this chat');
        const dates = readDates(params);
        const text = readSearchText(params.SEARCH_MESSAGE, dates.from !== null || dates.to !== null);
        const order = readOrder(params.ORDER);
        const lastId = readOptionalId(params.LAST_ID, 'LAST_ID');
        // Without words there is no relevance: dates alone list the newest first (the docs' default).
        const query: MessageSearchQuery = {
          portalId: auth.portal.id,
          userId: auth.userId,
          chatId,
          words: text === null ? [] : searchWords(text),
          ...dates,
          order,
          lastId,
          offset: readOffset(params.OFFSET),
          limit: readLimit(params.LIMIT),
        };
        return { result: await messenger.search.search(query) };
      },
    }),
    restMethod({
      name: 'im.search.message.list',
      scope: 'im',
      readOnly: true,
      params: imSearchMessageListParams,
      handle: async ({ auth, params }) => {
        const text = readSearchText(params.SEARCH_MESSAGE, false) ?? '';
        return {
          result: await messenger.search.search({
            portalId: auth.portal.id,
            userId: auth.userId,
            chatId: null,
            words: searchWords(text),
            from: null,
            to: null,
            order: 'relevance',
            lastId: null,
            offset: readOffset(params.OFFSET),
            limit: readLimit(params.LIMIT),
          }),
        };
      },
    }),
  ];
}

/** The search string, or `null` when none is given and dates alone filter. */
function readSearchText(value: unknown, datesGiven: boolean): string | null {
  const text = readText(value).trim();
  if (text === '' && datesGiven) return null;
  if ([...text].length < MIN_SEARCH_LENGTH) {
    throw imError('SEARCH_MESSAGE_TOO_SHORT', `SEARCH_MESSAGE must be at least ${MIN_SEARCH_LENGTH} characters long`);
  }
  return text;
}

function readDates(params: { DATE_FROM?: unknown; DATE_TO?: unknown; DATE?: unknown }) {
  const day = readDate(params.DATE, 'DATE');
  if (day) return { from: day, to: new Date(day.getTime() + DAY_MS) };
  return { from: readDate(params.DATE_FROM, 'DATE_FROM'), to: readDate(params.DATE_TO, 'DATE_TO') };
}

function readDate(value: unknown, name: string): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw imError('PARAMS_ERROR', `${name} must be a date in ISO 8601 format (2026-02-13T14:28:00+01:00)`);
  }
  return date;
}

function readOrder(value: unknown): MessageSearchQuery['order'] {
  if (value === undefined || value === null || value === '') return 'relevance';
  const id = typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>).ID : undefined;
  const direction = typeof id === 'string' ? id.trim().toUpperCase() : '';
  if (direction === 'ASC' || direction === 'DESC') return direction;
  throw imError('PARAMS_ERROR', 'ORDER must be {"ID": "ASC"} or {"ID": "DESC"}');
}

function readLimit(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_LIMIT;
  const limit = readId(value);
  if (limit === null) throw imError('PARAMS_ERROR', `LIMIT must be a number from 1 to ${MAX_LIMIT}`);
  return Math.min(MAX_LIMIT, limit);
}

function readOffset(value: unknown): number {
  if (value === undefined || value === null || value === '' || value === 0 || value === '0') return 0;
  const offset = readId(value);
  if (offset === null || offset > MAX_OFFSET) {
    throw imError('PARAMS_ERROR', `OFFSET must be a number from 0 to ${MAX_OFFSET}`);
  }
  return offset;
}

function readOptionalId(value: unknown, name: string): number | null {
  if (value === undefined || value === null || value === '' || value === 0 || value === '0') return null;
  const id = readId(value);
  if (id === null) throw imError('PARAMS_ERROR', `${name} must be a message id`);
  return id;
}
