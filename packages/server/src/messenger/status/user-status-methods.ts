import {
  imNoParams,
  imUserStatusIdleStartParams,
  imUserStatusSetParams,
  USER_STATUS_ERROR,
  UserStatusSchema,
} from '@portaldesk/protocol';
import type { AuthContext } from '../../rest/auth-context.ts';
import { type RestMethod, restMethod } from '../../rest/rest-method.ts';
import type { Messenger } from '../messenger.ts';
import { imError } from '../messenger-error.ts';
import { DEFAULT_STATUS } from './user-status-store.ts';

/**
 * `im.user.status.get/set`, `im.user.status.idle.start/end`: the caller's own status only (the
 * docs name no user parameter), so nobody sets or reads another person's through them. Each
 * change is told live to the people who can see the caller.
 */
export function userStatusMethods(messenger: Messenger): RestMethod[] {
  const { statuses, statusBroadcast } = messenger;
  /** Applies a change to the caller's status and tells the people who see them. */
  const changeOwn = async (auth: AuthContext, change: () => Promise<void>) => {
    await change();
    await statusBroadcast.announce(auth.portal.id, auth.userId);
    return { result: true };
  };
  return [
    restMethod({
      name: 'im.user.status.get',
      scope: 'im',
      readOnly: true,
      params: imNoParams,
      handle: async ({ auth }) => {
        const chosen = (await statuses.of(auth.portal.id, [auth.userId])).get(auth.userId) ?? DEFAULT_STATUS;
        return { result: chosen.status };
      },
    }),
    restMethod({
      name: 'im.user.status.set',
      scope: 'im',
      readOnly: false,
      params: imUserStatusSetParams,
      handle: async ({ auth, params }) => {
        const status = UserStatusSchema.safeParse(
          typeof params.STATUS === 'string' ? params.STATUS.trim() : params.STATUS,
        );
        if (!status.success) throw imError(USER_STATUS_ERROR, 'Status is not available: use online, away or dnd');
        return changeOwn(auth, () => statuses.set(auth.portal.id, auth.userId, status.data));
      },
    }),
    restMethod({
      name: 'im.user.status.idle.start',
      scope: 'im',
      readOnly: false,
      params: imUserStatusIdleStartParams,
      handle: ({ auth, params }) => changeOwn(auth, () => statuses.idleStart(auth.portal.id, auth.userId, params.AGO)),
    }),
    restMethod({
      name: 'im.user.status.idle.end',
      scope: 'im',
      readOnly: false,
      params: imNoParams,
      handle: ({ auth }) => changeOwn(auth, () => statuses.idleEnd(auth.portal.id, auth.userId)),
    }),
  ];
}
