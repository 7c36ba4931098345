import { NOTIFY_TYPE_FROM_USER, NOTIFY_TYPE_SYSTEM } from '../messenger/notifications/notification.ts';
import type { TestServer } from './test-server.ts';

/**
 * Gives a user a portal notification, as a feature would: from a colleague (`from`, as
 * `im.notify.personal.add` records it) or from the portal itself.
 */
export function addTestNotification(
  server: TestServer,
  to: { portalId: number; userId: number; text: string; from?: number },
): Promise<number> {
  const { portalId, userId, text, from } = to;
  return server.context.messenger.notifier.add({
    portalId,
    userId,
    authorId: from ?? 0,
    notifyType: from === undefined ? NOTIFY_TYPE_SYSTEM : NOTIFY_TYPE_FROM_USER,
    module: from === undefined ? 'portaldesk' : 'rest',
    event: from === undefined ? 'test' : 'rest_notify',
    tag: null,
    subTag: null,
    title: '',
    text,
    textOut: text,
    params: null,
  });
}
