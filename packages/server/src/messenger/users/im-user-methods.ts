import { type ImRevisions, imNoParams, imUserGetParams } from '@portaldesk/protocol';
import { type RestMethod, restMethod } from '../../rest/rest-method.ts';
import type { Messenger } from '../messenger.ts';
import { imError } from '../messenger-error.ts';
import { readId } from '../param-readers.ts';
import { loadImUsers, withPresence } from './im-user-view.ts';

/** The messenger API revisions we speak (the values Bitrix24's docs show). */
export const IM_REVISIONS: ImRevisions = { rest: 32, web: 130, mobile: 22, desktop: 6, im_revision_mobile: 22 };

/** `im.user.get`, `im.revision.get`. */
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
        const [user] = await loadImUsers(messenger.db, auth.portal.id, [id]);
        if (!user) throw imError('USER_NOT_EXISTS', 'User does not exist');
        const presence = await messenger.presence.lastSeen(auth.portal.id, [user.id]);
        return { result: withPresence(user, presence.get(user.id), messenger.presence.now()) };
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
