import { join } from 'node:path';
import { AccountLifecycle } from '../accounts/account-lifecycle.ts';
import { AccountSignIn } from '../accounts/account-sign-in.ts';
import { accountSummaries } from '../accounts/account-summaries.ts';
import { loadDesktopIdentity } from '../accounts/desktop-identity.ts';
import type { FoundBrowser } from '../browser/browser-discovery.ts';
import { ChatWindowFeed } from '../chat/chat-window-feed.ts';
import { SettingsHolder } from '../config/settings-holder.ts';
import { SettingsStore } from '../config/settings-store.ts';
import { BackgroundDelivery } from '../delivery/background-delivery.ts';
import { startIdleReporting } from '../delivery/idle-reporter.ts';
import type { PullConnectionOptions } from '../delivery/pull-connection.ts';
import type { OpenOutside } from '../links/system-browser.ts';
import { FreedesktopNotifier } from '../notifications/freedesktop-notifier.ts';
import { installLinkHandler, setStartOnLogin, type XdgLocations } from '../os-integration/xdg-desktop-files.ts';
import type { AppPaths } from '../paths/app-paths.ts';
import { createDesktopFetch, type DesktopFetch, type Lookup } from '../portal/desktop-http-client.ts';
import { DesktopTray } from '../tray/desktop-tray.ts';
import { startUiAssetServer, type UiAssetServer } from '../ui/ui-asset-server.ts';
import type { CredentialVault } from '../vault/credential-vault.ts';
import { openVault } from '../vault/open-vault.ts';
import { WindowManager } from '../windows/window-manager.ts';
import { WindowRouter } from '../windows/window-router.ts';
import { bridgeHandlersByWindow, type SignInFlows, startSignInFlows } from './bridge-handlers-by-window.ts';

export interface DesktopAppOptions {
  version: string;
  paths: AppPaths;
  browser: FoundBrowser;
  /** The built UI folder, served from loopback; or the URL of a running Vite dev server. */
  ui: { distDir: string } | { baseUrl: string };
  /** The browser's environment (DISPLAY under a virtual display). */
  browserEnv?: NodeJS.ProcessEnv;
  fetch?: DesktopFetch;
  /** The keyring service name; tests use their own. */
  keyringService?: string;
  log?(message: string, fields?: Record<string, unknown>): void;
  onLastWindowClosed?(): void;
  /** The D-Bus session bus for notifications and the tray; `DBUS_SESSION_BUS_ADDRESS` by default. */
  notificationBus?: string;
  /** The user chose Quit in the tray. */
  onQuitRequested?(): void;
  /** Unread counts, connection states or the settings changed (the tray redraws). */
  onAccountsChanged?(): void;
  /** Replaces the resolver of the desktop's own connections (HTTP and realtime); tests route through a relay. */
  resolver?: Lookup;
  /** Linux: where the menu entry, the `portaldesk://` handler and the autostart entry go. */
  xdg?: XdgLocations;
  /** Realtime reconnect waits; tests shorten them. */
  reconnectBackoffMs?: PullConnectionOptions['backoffMs'];
  /** The Network's address for "Sign in with Network profile" (`PORTALDESK_NETWORK_URL`). */
  networkUrl?: string;
  /** Opens a link that leaves the app; the system's default browser (`xdg-open`) unless a test records it. */
  openOutside?: OpenOutside;
}

/** What the app is made of; each part owns one thing, and `start` wires them. */
interface DesktopParts {
  settings: SettingsHolder;
  vault: CredentialVault;
  windows: WindowManager;
  accounts: AccountSignIn;
  delivery: BackgroundDelivery;
  lifecycle: AccountLifecycle;
  router: WindowRouter;
  chat: ChatWindowFeed;
  tray: DesktopTray;
  signInFlows: SignInFlows;
  idle: { stop(): void } | undefined;
  uiServer: UiAssetServer | undefined;
}

/**
 * The desktop main process, wired: settings, vault, the accounts' lifecycle, their background
 * connections, the window router, the chat window's feed and the tray. Windows come and go; this
 * keeps running (in the tray, once there is one) until `quit()`.
 */
export class DesktopApp {
  readonly settings: SettingsHolder;
  readonly vault: CredentialVault;
  readonly windows: WindowManager;
  readonly accounts: AccountSignIn;
  readonly delivery: BackgroundDelivery;
  /** Adding, signing out, removing accounts; their order and notification choices. */
  readonly lifecycle: AccountLifecycle;
  /** Which window shows what. */
  readonly router: WindowRouter;
  /** The separate chat window's feed: the active account, its live events, its REST calls. */
  readonly chat: ChatWindowFeed;
  readonly tray: DesktopTray;

  private constructor(private readonly parts: DesktopParts) {
    this.settings = parts.settings;
    this.vault = parts.vault;
    this.windows = parts.windows;
    this.accounts = parts.accounts;
    this.delivery = parts.delivery;
    this.lifecycle = parts.lifecycle;
    this.router = parts.router;
    this.chat = parts.chat;
    this.tray = parts.tray;
  }

  static async start(options: DesktopAppOptions): Promise<DesktopApp> {
    const log = options.log ?? (() => undefined);
    const store = new SettingsStore({ path: join(options.paths.configDir, 'settings.json') });
    const loaded = await store.load();
    if (loaded.warning) log('settings reset', { code: loaded.warning.code, keptAt: loaded.warning.keptAt });
    const settings = new SettingsHolder(loaded.settings, store, log);
    const vault = await openVault({
      ...(options.keyringService ? { service: options.keyringService } : {}),
      vaultPath: join(options.paths.dataDir, 'credentials.vault'),
      keyPath: join(options.paths.configDir, 'vault.key'),
    });
    if (vault.warning) log('credentials in the encrypted file', { code: vault.warning.code });
    const identity = await loadDesktopIdentity(join(options.paths.configDir, 'desktop-mark'));
    const fetch = options.fetch ?? createDesktopFetch(options.resolver ? { resolver: options.resolver } : {});
    const accounts = new AccountSignIn({ fetch, identity, vault, settings });
    const windows = new WindowManager({
      browser: options.browser,
      userDataDir: join(options.paths.dataDir, 'browser'),
      ...(options.browserEnv ? { env: options.browserEnv } : {}),
      ...(options.onLastWindowClosed ? { onLastWindowClosed: options.onLastWindowClosed } : {}),
    });
    await windows.sweepAccountProfiles(loaded.settings.accounts.map((a) => a.id));
    const uiServer = 'distDir' in options.ui ? await startUiAssetServer(options.ui.distDir) : undefined;
    const uiBaseUrl = uiServer?.baseUrl ?? (options.ui as { baseUrl: string }).baseUrl;
    // The notifier, the delivery and the feed call each other back; `app` is set before any event.
    let app: DesktopApp | undefined;
    const notifier = await FreedesktopNotifier.connect({
      ...(options.notificationBus ? { busAddress: options.notificationBus } : {}),
      onActivated: ({ accountId, dialogId }) =>
        void app?.router.showChat({ accountId, dialogId }).catch(() => undefined),
      log,
    });
    if (!notifier) log('notifications off: no notification service on the session bus');
    const delivery = new BackgroundDelivery({
      settings,
      signIn: accounts,
      fetch,
      ...(notifier ? { notifier } : {}),
      senderPhotosDir: join(options.paths.dataDir, 'sender-photos'),
      isBeingRead: (accountId, dialogId) => app?.chat.isBeingRead(accountId, dialogId) ?? false,
      log,
      // Counts and connection states are not settings: the tray and the feed are told here.
      onChange: () => {
        options.onAccountsChanged?.();
        app?.tray.refresh();
        app?.chat.accountsChanged();
      },
      onPush: (accountId, event) => app?.chat.push(accountId, event),
      onResumed: (accountId) => app?.chat.resumed(accountId),
      ...(options.reconnectBackoffMs ? { backoffMs: options.reconnectBackoffMs } : {}),
      ...(options.resolver ? { lookup: options.resolver } : {}),
    });
    if (options.onAccountsChanged) settings.subscribe(() => options.onAccountsChanged?.());
    const lifecycle = new AccountLifecycle({ settings, signIn: accounts, delivery, vault, windows, log });
    const router = new WindowRouter({
      settings,
      windows,
      lifecycle,
      uiBaseUrl,
      development: 'baseUrl' in options.ui,
      ...(options.openOutside ? { openOutside: options.openOutside } : {}),
      log,
    });
    const chat = new ChatWindowFeed({
      settings,
      delivery,
      uiOrigin: new URL(uiBaseUrl).origin,
      chatWindow: () => router.ownWindow('chat'),
      activate: (accountId) => router.activate(accountId),
    });
    const signInFlows = startSignInFlows({ fetch, identity, settings, lifecycle, router, options, log });
    router.connect(
      bridgeHandlersByWindow({
        ...signInFlows,
        settings,
        vault,
        delivery,
        lifecycle,
        router,
        chat,
        fetch,
        options,
        loaded,
      }),
      chat,
    );
    const tray = await DesktopTray.start({
      settings,
      delivery,
      router,
      ...(options.onQuitRequested ? { onQuitRequested: options.onQuitRequested } : {}),
      ...(options.notificationBus ? { busAddress: options.notificationBus } : {}),
      log,
    });
    const idle = await startIdleReporting(delivery, options.notificationBus, log);
    app = new DesktopApp({
      settings,
      vault,
      windows,
      accounts,
      delivery,
      lifecycle,
      router,
      chat,
      tray,
      signInFlows,
      idle,
      uiServer,
    });
    // Every account connects at start, with no window and nothing asked.
    delivery.sync();
    if (options.xdg) {
      await installLinkHandler(options.xdg).catch((error: unknown) =>
        log('portaldesk:// links not registered', { message: String(error) }),
      );
      await setStartOnLogin(options.xdg, settings.get().startOnLogin).catch(() => undefined);
    }
    return app;
  }

  /** Closing the last window keeps the app running: there is a tray to come back from, and the user wants it. */
  keepsRunningWithoutWindows(): boolean {
    return this.tray.shown && this.settings.get().closeToTray;
  }

  /** What the account list and the tray show, in the user's order. */
  accountSummaries() {
    return accountSummaries(this.settings.get(), this.delivery);
  }

  async quit(): Promise<void> {
    await this.parts.signInFlows.qr.stop();
    this.parts.idle?.stop();
    this.tray.close();
    await this.delivery.stop();
    await this.windows.quit();
    await this.parts.uiServer?.close();
  }
}
