import type { BridgeHandlers } from '../bridge/ui-bridge.ts';
import type { SettingsHolder } from '../config/settings-holder.ts';
import type { BackgroundDelivery } from '../delivery/background-delivery.ts';
import type { WindowRouter } from '../windows/window-router.ts';
import type { AccountLifecycle } from './account-lifecycle.ts';
import { accountSummaries } from './account-summaries.ts';

type AccountsHandlers = Pick<
  BridgeHandlers,
  | 'accounts.list'
  | 'accounts.switch'
  | 'accounts.add'
  | 'accounts.reorder'
  | 'accounts.signInAgain'
  | 'accounts.signOut'
  | 'accounts.remove'
  | 'accounts.setMuted'
  | 'accounts.setNotifications'
>;

/** The account list (accounts window, and the chat window's account menu). */
export function accountsBridgeHandlers(deps: {
  settings: SettingsHolder;
  delivery: Pick<BackgroundDelivery, 'connection'>;
  lifecycle: AccountLifecycle;
  router: Pick<WindowRouter, 'switchTo' | 'showOwnWindow' | 'showSignInAgain'>;
}): AccountsHandlers {
  const { lifecycle, router } = deps;
  return {
    'accounts.list': async () => ({ accounts: accountSummaries(deps.settings.get(), deps.delivery) }),
    'accounts.switch': async ({ accountId }) => {
      await router.switchTo(accountId);
      return {};
    },
    'accounts.add': async () => {
      await router.showOwnWindow('login');
      return {};
    },
    'accounts.reorder': async ({ accountIds }) => {
      await lifecycle.reorder(accountIds);
      return {};
    },
    'accounts.signInAgain': async ({ accountId }) => {
      await router.showSignInAgain(accountId);
      return {};
    },
    'accounts.signOut': async ({ accountId }) => {
      await lifecycle.signOut(accountId);
      return {};
    },
    'accounts.remove': async ({ accountId }) => {
      await lifecycle.remove(accountId);
      return {};
    },
    'accounts.setMuted': async ({ accountId, muted }) => {
      await lifecycle.setMuted(accountId, muted);
      return {};
    },
    'accounts.setNotifications': async ({ accountId, sound, preview }) => {
      await lifecycle.setNotificationPreferences(accountId, {
        ...(sound !== undefined ? { sound } : {}),
        ...(preview !== undefined ? { preview } : {}),
      });
      return {};
    },
  };
}
