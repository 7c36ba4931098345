import type { Settings } from '../config/settings.ts';
import type { BackgroundDelivery } from '../delivery/background-delivery.ts';

/** What the account list and the tray show, in the user's order. */
export function accountSummaries(settings: Settings, delivery: Pick<BackgroundDelivery, 'connection'>) {
  return settings.accounts.map((a) => {
    const connection = delivery.connection(a.id);
    return {
      id: a.id,
      portalOrigin: a.portal.origin,
      portalTitle: a.portal.title,
      userDisplayName: a.user.displayName,
      login: a.user.login,
      avatarUrl: a.user.avatarUrl ?? null,
      muted: a.muted,
      notifications: a.notifications,
      active: a.id === settings.activeAccountId,
      unread: connection?.unread ?? 0,
      connection: connection?.state ?? ('connecting' as const),
    };
  });
}
