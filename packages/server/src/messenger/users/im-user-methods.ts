import { type ImRevisions, imNoParams, imUserGetParams, imUserListGetParams } from '@portaldesk/protocol';
import { type RestMethod, restMethod } from '../../rest/rest-method.ts';
import type { Messenger } from '../messenger.ts';
import { imError } from '../messenger-error.ts';
import { readId, readIdList } from '../param-readers.ts';
import { loadImUsers } from './im-user-view.ts';

/** Users `im.user.list.get` answers at once: a picker's worth. */
const IM_USER_LIST_MAX = 500;

/** The messenger API revisions we speak (the values Bitrix24's docs show). */
export const IM_REVISIONS: ImRevisions = { rest: 32, web: 130, mobile: 22, desktop: 6, im_revision_mobile: 22 };

/** `im.user.get`, `im.user.list.get`, `im.revision.get`. */
export function imUserMethods(messenger: Messenger): RestMethod[] {
  return [
    restMethod({
      name: 'im.user.get',
      scope: 'im',
      readOnly: true,
      params: imUserGetParams,
      handle: async ({ auth, params }) => {
        let id = auth.userId;
        if (params.ID !== undefined && params.ID !== '') {
          const asked = readId(params.ID);
          if (asked === null) throw imError('ID_EMPTY', "User ID can't be empty");
          id = asked;
        }
        const [user] = await messenger.live.decorate(
          auth.portal.id,
          await loadImUsers(messenger.db, auth.portal.id, [id]),
        );
        if (!user) throw imError('USER_NOT_EXISTS', 'User does not exist');
        return { result: user };
      },
    }),
    restMethod({
      name: 'im.user.list.get',
      scope: 'im',
      readOnly: true,
      params: imUserListGetParams,
      handle: async ({ auth, params }) => {
        const ids = params.ID === undefined || params.ID === '' ? [auth.userId] : readIdList(params.ID);
        if (ids.length === 0) throw imError('INVALID_FORMAT', 'A wrong format for the ID field is passed');
        if (ids.length > IM_USER_LIST_MAX) {
          throw imError('INVALID_FORMAT', `At most ${IM_USER_LIST_MAX} users can be asked for at once`);
        }
        const users = await messenger.live.decorate(
          auth.portal.id,
          await loadImUsers(messenger.db, auth.portal.id, ids),
        );
        // The docs: an id that names nobody (here: nobody of the caller's portal) answers null.
        const found = new Map(users.map((u) => [u.id, u]));
        return { result: Object.fromEntries(ids.map((id) => [String(id), found.get(id) ?? null])) };
      },
    }),
    restMethod({
      name: 'im.revision.get',
      scope: 'im',
      readOnly: true,
      params: imNoParams,
      handle: async () => ({ result: IM_REVISIONS }),
    }),
  ];
}
