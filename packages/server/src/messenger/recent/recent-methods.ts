import { imNoParams, imRecentGetParams, imRecentListParams } from '@portaldesk/protocol';
import { type RestMethod, restMethod } from '../../rest/rest-method.ts';
import type { Messenger } from '../messenger.ts';
import { imError } from '../messenger-error.ts';
import { isYes } from '../param-readers.ts';

const RECENT_GET_LIMIT = 200;
const RECENT_LIST_MAX = 200;

/** `im.recent.get`, `im.recent.list`, `im.counters.get`. */
export function recentMethods(messenger: Messenger): RestMethod[] {
  return [
    restMethod({
      name: 'im.recent.get',
      scope: 'im',
      readOnly: true,
      params: imRecentGetParams,
      handle: async ({ auth, params }) => {
        const items = await messenger.recent.list(auth.portal.id, auth.userId, {
          skipChat: isYes(params.SKIP_CHAT),
          skipDialog: isYes(params.SKIP_DIALOG),
          unreadOnly: false,
          updatedSince: readDate(params.LAST_UPDATE ?? params.LAST_SYNC_DATE, 'LAST_UPDATE'),
          activeBefore: null,
          offset: 0,
          limit: RECENT_GET_LIMIT,
        });
        return { result: await messenger.live.decorateRecent(auth.portal.id, items) };
      },
    }),
    restMethod({
      name: 'im.recent.list',
      scope: 'im',
      readOnly: true,
      params: imRecentListParams,
      handle: async ({ auth, params }) => {
        const limit = Math.min(RECENT_LIST_MAX, params.LIMIT);
        // One more than asked, to know whether there is a next page.
        const items = await messenger.recent.list(auth.portal.id, auth.userId, {
          skipChat: isYes(params.SKIP_CHAT),
          skipDialog: isYes(params.SKIP_DIALOG),
          unreadOnly: isYes(params.UNREAD_ONLY),
          updatedSince: null,
          activeBefore: readDate(params.LAST_MESSAGE_DATE, 'LAST_MESSAGE_DATE'),
          offset: params.OFFSET,
          limit: limit + 1,
        });
        const hasMore = items.length > limit;
        const page = await messenger.live.decorateRecent(auth.portal.id, items.slice(0, limit));
        return { result: { items: page, hasMore, hasMorePages: hasMore } };
      },
    }),
    restMethod({
      name: 'im.counters.get',
      scope: 'im',
      readOnly: true,
      params: imNoParams,
      handle: async ({ auth }) => ({ result: await messenger.counters.read(auth.portal.id, auth.userId) }),
    }),
  ];
}

function readDate(value: string | undefined, name: string): Date | null {
  if (value === undefined || value === '') return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw imError('PARAMS_ERROR', `${name} must be a date in ATOM (ISO 8601) form`);
  return date;
}
