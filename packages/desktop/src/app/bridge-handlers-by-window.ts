import type { AccountLifecycle } from '../accounts/account-lifecycle.ts';
import { accountsBridgeHandlers } from '../accounts/accounts-bridge-handlers.ts';
import { loginBridgeHandlers } from '../accounts/login-bridge-handlers.ts';
import type { ChatWindowFeed } from '../chat/chat-window-feed.ts';
import { settingsBridgeHandlers } from '../config/settings-bridge-handlers.ts';
import type { SettingsHolder } from '../config/settings-holder.ts';
import type { LoadedSettings } from '../config/settings-store.ts';
import type { BackgroundDelivery } from '../delivery/background-delivery.ts';
import { DesktopNetworkSignIn } from '../network/desktop-network-sign-in.ts';
import { networkBridgeHandlers } from '../network/network-bridge-handlers.ts';
import type { DesktopFetch } from '../portal/desktop-http-client.ts';
import type { DesktopIdentity } from '../portal/desktop-sign-in.ts';
import { DesktopQrSignIn } from '../qr-sign-in/desktop-qr-sign-in.ts';
import { qrBridgeHandlers } from '../qr-sign-in/qr-bridge-handlers.ts';
import { qrDeviceDescription } from '../qr-sign-in/qr-device.ts';
import type { CredentialVault } from '../vault/credential-vault.ts';
import type { BridgeHandlersByWindow, WindowRouter } from '../windows/window-router.ts';
import { appBridgeHandlers } from './app-bridge-handlers.ts';
import type { DesktopAppOptions } from './desktop-app.ts';

/** The login window's sign-ins that hold secrets while they run (a QR attempt's keys, the Network's token). */
export interface SignInFlows {
  qr: DesktopQrSignIn;
  network: DesktopNetworkSignIn;
}

/** QR code and Network profile sign-ins: each ends in an account added as after a password. */
export function startSignInFlows(deps: {
  fetch: DesktopFetch;
  identity: DesktopIdentity;
  settings: SettingsHolder;
  lifecycle: AccountLifecycle;
  router: WindowRouter;
  options: Pick<DesktopAppOptions, 'networkUrl'>;
  log: (message: string, fields?: Record<string, unknown>) => void;
}): SignInFlows {
  const { fetch, identity, lifecycle, router } = deps;
  return {
    // A QR sign-in finished: the account's window opens and the login window closes.
    qr: new DesktopQrSignIn({
      fetch,
      device: qrDeviceDescription(identity),
      signedIn: async (portal, result) => {
        const { account, session } = await lifecycle.addSignedIn(portal, result);
        await router.openAccountWindow(account.id, session);
        router.closeOwnWindowSoon('login');
      },
      log: deps.log,
    }),
    network: new DesktopNetworkSignIn({
      issuer: deps.options.networkUrl,
      fetch,
      identity,
      openSignInPage: (url, closed) => router.openNetworkPage(url, closed),
      accounts: () => deps.settings.get().accounts.map((a) => ({ origin: a.portal.origin, userId: a.user.id })),
      addAccount: async ({ portal, result }) => (await lifecycle.addSignedIn(portal, result)).account.id,
    }),
  };
}

/** Each own window's bridge: the handlers of its own channels, and no other. */
export function bridgeHandlersByWindow(
  deps: SignInFlows & {
    settings: SettingsHolder;
    vault: CredentialVault;
    delivery: BackgroundDelivery;
    lifecycle: AccountLifecycle;
    router: WindowRouter;
    chat: ChatWindowFeed;
    fetch: DesktopFetch;
    options: Pick<DesktopAppOptions, 'version' | 'networkUrl' | 'xdg'>;
    loaded: LoadedSettings;
  },
): BridgeHandlersByWindow {
  const app = () =>
    appBridgeHandlers({ version: deps.options.version, vault: deps.vault, settingsWarning: deps.loaded.warning });
  const accounts = () => accountsBridgeHandlers(deps);
  return {
    login: () => ({
      ...app(),
      ...loginBridgeHandlers(deps),
      ...qrBridgeHandlers(deps.qr),
      ...networkBridgeHandlers({ network: deps.network, router: deps.router, networkUrl: deps.options.networkUrl }),
    }),
    chat: () => {
      const { 'accounts.list': list, 'accounts.add': add, 'accounts.signInAgain': signInAgain } = accounts();
      return {
        ...app(),
        ...deps.chat.handlers(),
        'accounts.list': list,
        'accounts.add': add,
        'accounts.signInAgain': signInAgain,
      };
    },
    accounts: () => ({
      ...app(),
      ...accounts(),
      ...settingsBridgeHandlers({ settings: deps.settings, xdg: deps.options.xdg }),
    }),
  };
}
