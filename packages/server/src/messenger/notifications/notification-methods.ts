import { imNotifyAddParams, imNotifyGetParams, imNotifyReadParams } from '@portaldesk/protocol';
import type { z } from 'zod';
import type { AuthContext } from '../../rest/auth-context.ts';
import { type RestMethod, restMethod } from '../../rest/rest-method.ts';
import { readBlock } from '../messages/message-blocks.ts';
import { MAX_MESSAGE_LENGTH } from '../messages/message-text-limits.ts';
import type { Messenger } from '../messenger.ts';
import { imError } from '../messenger-error.ts';
import { readId, readText } from '../param-readers.ts';
import { NOTIFY_TYPE_FROM_USER, NOTIFY_TYPE_SYSTEM } from './notification.ts';

const MAX_PAGE = 50;

/** `im.notify.personal.add`, `im.notify.system.add`, `im.notify.read`, `im.notify.get`. */
export function notificationMethods(messenger: Messenger): RestMethod[] {
  const add = (name: string, notifyType: typeof NOTIFY_TYPE_FROM_USER | typeof NOTIFY_TYPE_SYSTEM) =>
    restMethod({
      name,
      scope: 'im',
      readOnly: false,
      params: imNotifyAddParams,
      handle: async ({ auth, params }) => ({ result: await addNotification(messenger, auth, params, notifyType) }),
    });
  return [
    add('im.notify.personal.add', NOTIFY_TYPE_FROM_USER),
    add('im.notify.system.add', NOTIFY_TYPE_SYSTEM),
    restMethod({
      name: 'im.notify.read',
      scope: 'im',
      readOnly: false,
      params: imNotifyReadParams,
      handle: async ({ auth, params }) => {
        // The docs: without ID the method changes nothing and answers true.
        if (params.ID === undefined || params.ID < 0) return { result: true };
        const read = params.ACTION === undefined || params.ACTION.toUpperCase() === 'Y';
        const onlyCurrent = params.ONLY_CURRENT?.toUpperCase() === 'Y';
        await messenger.notifier.markRead(auth.portal.id, auth.userId, params.ID, read, onlyCurrent);
        return { result: true };
      },
    }),
    restMethod({
      name: 'im.notify.get',
      scope: 'im',
      readOnly: true,
      params: imNotifyGetParams,
      handle: async ({ auth, params }) => {
        const hasLastId = params.LAST_ID !== undefined && params.LAST_ID !== '';
        const hasLastType = params.LAST_TYPE !== undefined && params.LAST_TYPE !== '';
        if (hasLastId !== hasLastType) {
          throw imError('LAST_ID_AND_LAST_TYPE', 'Parameters LAST_ID and LAST_TYPE should be used together.');
        }
        const lastId = hasLastId ? readId(params.LAST_ID) : null;
        if (hasLastId && lastId === null) throw imError('LAST_ID_STRING', "Last notification ID can't be string");
        const limit = Math.min(MAX_PAGE, Math.max(1, readId(params.LIMIT) ?? MAX_PAGE));
        return { result: await messenger.notifier.list(auth.portal.id, auth.userId, lastId, limit) };
      },
    }),
  ];
}

async function addNotification(
  messenger: Messenger,
  auth: AuthContext,
  params: z.output<typeof imNotifyAddParams>,
  notifyType: typeof NOTIFY_TYPE_FROM_USER | typeof NOTIFY_TYPE_SYSTEM,
): Promise<number | false> {
  if (auth.via === 'session') {
    throw imError('WRONG_AUTH_TYPE', 'Access for this method not allowed by session authorization.');
  }
  const userId = readId(params.USER_ID);
  if (userId === null) throw imError('USER_ID_EMPTY', "User ID can't be empty");
  // The docs: the text is trimmed before it is sent.
  const text = readText(params.MESSAGE).trim();
  if (text === '') throw imError('MESSAGE_EMPTY', "Message can't be empty");
  if (text.length > MAX_MESSAGE_LENGTH)
    throw imError('PARAMS_ERROR', `Message is longer than ${MAX_MESSAGE_LENGTH} characters`);
  const attach = readBlock(params.ATTACH, 'ATTACH');
  await messenger.sendRateLimiter.consume(auth.portal.id, auth.userId);
  const [recipient] = await messenger.db.query<{ id: number }>(
    'SELECT id FROM users WHERE portal_id = $1 AND id = $2 AND active',
    [auth.portal.id, userId],
  );
  // The docs: `false` when no notification was created (here: no such user in this portal).
  if (!recipient) return false;
  // Tags are unique within an application, as Bitrix24 stores them: `MP|<app>|<TAG>`.
  const app = params.CLIENT_ID ?? 'rest';
  return messenger.notifier.add({
    portalId: auth.portal.id,
    userId,
    authorId: notifyType === NOTIFY_TYPE_FROM_USER ? auth.userId : 0,
    notifyType,
    module: 'rest',
    event: 'rest_notify',
    tag: params.TAG ? `MP|${app}|${params.TAG}` : null,
    subTag: params.SUB_TAG ? `MP|${app}|${params.SUB_TAG}` : null,
    title: '',
    text,
    textOut: params.MESSAGE_OUT ?? '',
    params: attach ? { ATTACH: attach } : null,
  });
}
