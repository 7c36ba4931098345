import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PORTAL_SESSION_STORAGE_KEY } from '@portaldesk/protocol';
import type { Page } from 'playwright-core';
import { AccountSignIn, type PortalSession } from '../accounts/account-sign-in.ts';
import { loadDesktopIdentity } from '../accounts/desktop-identity.ts';
import { attachBridge, type BridgeHandlers } from '../bridge/ui-bridge.ts';
import type { FoundBrowser } from '../browser/browser-discovery.ts';
import { ChatWindowFeed } from '../chat/chat-window-feed.ts';
import type { AccountSettings } from '../config/settings.ts';
import { SettingsHolder } from '../config/settings-holder.ts';
import { SettingsStore, type SettingsWarning } from '../config/settings-store.ts';
import type { AccountConnection } from '../delivery/account-connection.ts';
import { BackgroundDelivery } from '../delivery/background-delivery.ts';
import { startIdleReporting } from '../delivery/idle-reporter.ts';
import type { PullConnectionOptions } from '../delivery/pull-connection.ts';
import { linkInArguments, type PortaldeskLink } from '../links/portaldesk-link.ts';
import { type OpenOutside, openInSystemBrowser } from '../links/system-browser.ts';
import { DesktopNetworkSignIn } from '../network/desktop-network-sign-in.ts';
import type { NetworkPortalSignIn } from '../network/network-portal-accounts.ts';
import { FreedesktopNotifier } from '../notifications/freedesktop-notifier.ts';
import { installLinkHandler, setStartOnLogin, type XdgLocations } from '../os-integration/xdg-desktop-files.ts';
import type { AppPaths } from '../paths/app-paths.ts';
import { createDesktopFetch, type DesktopFetch, type Lookup } from '../portal/desktop-http-client.ts';
import { checkPortal } from '../portal/portal-check.ts';
import { DesktopQrSignIn } from '../qr-sign-in/desktop-qr-sign-in.ts';
import { qrBridgeHandlers } from '../qr-sign-in/qr-bridge-handlers.ts';
import { qrDeviceDescription } from '../qr-sign-in/qr-device.ts';
import type { SecondLaunch } from '../single-instance/single-instance.ts';
import { StatusNotifierTray } from '../tray/status-notifier-tray.ts';
import type { TrayAction, TrayModel } from '../tray/tray-menu.ts';
import { startUiAssetServer, type UiAssetServer } from '../ui/ui-asset-server.ts';
import type { CredentialVault } from '../vault/credential-vault.ts';
import { openVault } from '../vault/open-vault.ts';
import { keepInApp } from '../windows/keep-in-app.ts';
import { type OwnWindowName, ownWindowTarget } from '../windows/own-windows.ts';
import { type AppWindow, WindowManager } from '../windows/window-manager.ts';

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
  /** Unread counts or connection states changed (the tray redraws). */
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

/** The binding an account window's Ctrl+1…9 calls; it can do nothing but switch accounts. */
const SWITCH_BINDING = '__portaldeskSwitchAccount';

/**
 * The desktop main process: settings, vault, accounts and the windows, wired together. Windows
 * come and go; this keeps running (in the tray, once there is one) until `quit()`.
 */
export class DesktopApp {
  private constructor(
    private readonly options: DesktopAppOptions,
    readonly settings: SettingsHolder,
    private readonly settingsWarning: SettingsWarning | undefined,
    readonly vault: CredentialVault,
    readonly windows: WindowManager,
    readonly accounts: AccountSignIn,
    private readonly uiBaseUrl: string,
    private readonly uiServer: UiAssetServer | undefined,
    readonly delivery: BackgroundDelivery,
    private readonly fetch: DesktopFetch,
  ) {
    this.chat = new ChatWindowFeed({
      settings,
      delivery,
      uiOrigin: new URL(uiBaseUrl).origin,
      chatWindow: () => this.ownWindow('chat'),
      activate: (accountId) => this.activate(accountId),
    });
  }

  /** The separate chat window's feed: the active account, its live events, its REST calls. */
  readonly chat: ChatWindowFeed;

  static async start(options: DesktopAppOptions): Promise<DesktopApp> {
    const log = options.log ?? (() => undefined);
    const store = new SettingsStore({ path: join(options.paths.configDir, 'settings.json') });
    const loaded = await store.load();
    if (loaded.warning) log('settings reset', { code: loaded.warning.code, keptAt: loaded.warning.keptAt });
    const settings = new SettingsHolder(loaded.settings, store);
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
    let app: DesktopApp | undefined;
    const notifier = await FreedesktopNotifier.connect({
      ...(options.notificationBus ? { busAddress: options.notificationBus } : {}),
      onActivated: ({ accountId, dialogId }) => void app?.showChat({ accountId, dialogId }).catch(() => undefined),
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
      onChange: () => {
        options.onAccountsChanged?.();
        app?.refreshTray();
        app?.chat.accountsChanged();
      },
      onPush: (accountId, event) => app?.chat.push(accountId, event),
      onResumed: (accountId) => app?.chat.resumed(accountId),
      ...(options.reconnectBackoffMs ? { backoffMs: options.reconnectBackoffMs } : {}),
      ...(options.resolver ? { lookup: options.resolver } : {}),
    });
    app = new DesktopApp(
      options,
      settings,
      loaded.warning,
      vault,
      windows,
      accounts,
      uiBaseUrl,
      uiServer,
      delivery,
      fetch,
    );
    const qrApp = app;
    app.qrSignIn = new DesktopQrSignIn({
      fetch,
      device: qrDeviceDescription(identity),
      signedIn: (portal, result) => qrApp.addQrAccount(portal, result),
      log,
    });
    app.networkSignIn = new DesktopNetworkSignIn({
      issuer: options.networkUrl,
      fetch,
      identity,
      openSignInPage: (url, closed) => qrApp.openNetworkPage(url, closed),
      accounts: () => settings.get().accounts.map((a) => ({ origin: a.portal.origin, userId: a.user.id })),
      addAccount: (signIn) => qrApp.addNetworkAccount(signIn),
    });
    app.tray = await StatusNotifierTray.start({
      model: app.trayModel(),
      onAction: (action) => void app?.onTrayAction(action).catch(() => undefined),
      ...(options.notificationBus ? { busAddress: options.notificationBus } : {}),
      log,
    });
    app.idle = await startIdleReporting(delivery, options.notificationBus, log);
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

  /** The first window: the active account's portal when it can be signed in again, else login. */
  async showFirstWindow(): Promise<AppWindow> {
    const active = this.settings.get().activeAccountId;
    if (active) {
      try {
        return await this.switchTo(active);
      } catch (error) {
        this.options.log?.('could not resume the active account', { code: (error as { code?: string }).code });
        return this.showSignInAgain(active);
      }
    }
    return this.showOwnWindow('login');
  }

  /** The login window for a signed-out account: its portal address and login filled in. */
  async showSignInAgain(accountId: string): Promise<AppWindow> {
    const account = this.settings.get().accounts.find((a) => a.id === accountId);
    if (!account) return this.showOwnWindow('login');
    return this.showOwnWindow('login', { address: new URL(account.portal.origin).host, login: account.user.login });
  }

  /** Makes `accountId` the active account and brings its window forward, opening it when closed. */
  async switchTo(accountId: string): Promise<AppWindow> {
    if (!this.settings.get().accounts.some((a) => a.id === accountId)) throw new Error(`no account ${accountId}`);
    await this.activate(accountId);
    const open = this.windows.windows().find((w) => w.target.kind === 'account' && w.target.accountId === accountId);
    if (open) {
      await this.windows.focus(open);
      return open;
    }
    const connection = this.delivery.connection(accountId) ?? this.startConnection(accountId);
    return this.openAccountWindow(accountId, await connection.currentSession());
  }

  /** Makes `accountId` the active account; the chat window and the tray follow. */
  async activate(accountId: string): Promise<void> {
    if (this.settings.get().activeAccountId === accountId) return;
    await this.settings.update((settings) => ({ ...settings, activeAccountId: accountId }));
    this.chat.accountChanged();
    this.changed();
  }

  /**
   * Brings the chat window forward (opening it when closed); with `dialog`, that account becomes
   * the active one and the window opens the dialog (a notification was clicked).
   */
  async showChat(dialog?: { accountId: string; dialogId: string }): Promise<AppWindow> {
    if (dialog) await this.activate(dialog.accountId);
    const open = this.ownWindow('chat');
    if (open && dialog && (await this.chat.openDialog(dialog.accountId, dialog.dialogId))) {
      await this.windows.focus(open);
      return open;
    }
    return this.showOwnWindow('chat', dialog ? { account: dialog.accountId, dialog: dialog.dialogId } : {});
  }

  private ownWindow(name: OwnWindowName): AppWindow | undefined {
    return this.windows.windows().find((w) => w.target.kind === 'own' && w.target.name === name);
  }

  /**
   * Signs an account in with its password (a new one, or one whose application password was
   * revoked), makes it the active account and connects it in the background.
   */
  async addAccount(request: Parameters<AccountSignIn['signIn']>[0]) {
    const result = await this.accounts.signIn(request);
    if (result.status === 'signed-in') {
      this.delivery.disconnect(result.account.id);
      this.delivery.sync();
      this.chat.accountChanged();
    }
    return result;
  }

  /** The login window's QR sign-in; it holds the attempt's key pair and secret. */
  private qrSignIn!: DesktopQrSignIn;

  /**
   * A QR sign-in finished: the account is added as after a password sign-in, connects in the
   * background, its window opens and the login window closes.
   */
  private async addQrAccount(
    portal: { origin: string; host: string },
    result: Parameters<AccountSignIn['addSignedInAccount']>[1],
  ): Promise<void> {
    const { account, session } = await this.accounts.addSignedInAccount(portal, result);
    this.delivery.disconnect(account.id);
    this.delivery.sync();
    await this.openAccountWindow(account.id, session);
    const login = this.windows.windows().find((w) => w.target.kind === 'own' && w.target.name === 'login');
    if (login) void closeSoon(login.page);
  }

  /** "Sign in with Network profile"; it holds the Network's access token, in memory only. */
  private networkSignIn!: DesktopNetworkSignIn;

  /** The Network's own sign-in page in an app window without the bridge: the password stays there. */
  private async openNetworkPage(url: string, closed: () => void) {
    const window = await this.windows.openWindow({
      kind: 'own',
      name: 'network',
      url,
      size: { width: 480, height: 640 },
    });
    let closing = false;
    window.page.once('close', () => {
      if (!closing) closed();
    });
    return {
      close: async () => {
        closing = true;
        await window.page.close();
      },
    };
  }

  /** A portal of the Network profile opened a session: an ordinary account from here on. */
  private async addNetworkAccount({ portal, result }: NetworkPortalSignIn): Promise<string> {
    const { account } = await this.accounts.addSignedInAccount(portal, result);
    this.delivery.disconnect(account.id);
    this.delivery.sync();
    this.chat.accountChanged();
    return account.id;
  }

  /** Ctrl+1…9: the n-th account in the user's order. */
  async switchToNth(n: number): Promise<void> {
    const account = this.settings.get().accounts[n - 1];
    if (account) await this.switchTo(account.id);
  }

  /** The user's order; `accountIds` must name every account once. */
  async reorderAccounts(accountIds: string[]): Promise<void> {
    await this.settings.update((settings) => {
      const byId = new Map(settings.accounts.map((a) => [a.id, a]));
      const reordered = accountIds.map((id) => byId.get(id));
      if (new Set(accountIds).size !== byId.size || reordered.some((a) => a === undefined)) {
        throw Object.assign(new Error('The new order must list every account once.'), { code: 'BAD_ACCOUNT_ORDER' });
      }
      return { ...settings, accounts: reordered as typeof settings.accounts };
    });
    this.changed();
  }

  /** Signs the account out here: its secrets and browser data go; it stays listed and asks for the password. */
  async signOut(accountId: string): Promise<void> {
    const account = this.settings.get().accounts.find((a) => a.id === accountId);
    await this.endPortalSession(accountId);
    this.delivery.disconnect(accountId);
    await this.vault.removeAccount(accountId);
    await this.windows.removeAccountData(accountId, account ? [account.portal.origin] : []);
    this.delivery.sync();
  }

  /** Ends the background connection's portal session (best effort: the portal may be unreachable). */
  private async endPortalSession(accountId: string): Promise<void> {
    const connection = this.delivery.connection(accountId);
    if (!connection?.signedIn) return;
    await connection.rest.call('portaldesk.session.logout').catch((error: unknown) => {
      this.options.log?.('portal session not ended', { code: (error as { code?: string }).code });
    });
  }

  async setMuted(accountId: string, muted: boolean): Promise<void> {
    await this.settings.update((settings) => ({
      ...settings,
      accounts: settings.accounts.map((a) => (a.id === accountId ? { ...a, muted } : a)),
    }));
    this.changed();
  }

  /** The account's notification sound and message preview. */
  async setNotificationPreferences(
    accountId: string,
    change: Partial<AccountSettings['notifications']>,
  ): Promise<void> {
    await this.settings.update((settings) => ({
      ...settings,
      accounts: settings.accounts.map((a) =>
        a.id === accountId ? { ...a, notifications: { ...a.notifications, ...change } } : a,
      ),
    }));
    this.changed();
  }

  private startConnection(accountId: string): AccountConnection {
    this.delivery.sync();
    const connection = this.delivery.connection(accountId);
    if (!connection) throw new Error(`no account ${accountId}`);
    return connection;
  }

  /** Opens one of the desktop's own windows, or brings it forward when it is open. */
  async showOwnWindow(name: OwnWindowName, query: Record<string, string> = {}): Promise<AppWindow> {
    const target = ownWindowTarget(name, this.uiBaseUrl);
    const url = new URL(target.url);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const open = this.ownWindow(name);
    if (open) {
      if (Object.keys(query).length > 0) await open.page.goto(url.href);
      await this.windows.focus(open);
      return open;
    }
    const uiOrigin = new URL(this.uiBaseUrl).origin;
    return this.windows.openWindow(
      { ...target, url: url.href },
      {
        beforeLoad: async (page) => {
          await keepInApp(page, {
            appOrigin: uiOrigin,
            openOutside: this.options.openOutside ?? openInSystemBrowser,
            // A Vite dev server in place of the built UI: the UI is being worked on.
            development: 'baseUrl' in this.options.ui,
            ...(this.options.log ? { log: this.options.log } : {}),
          });
          await attachBridge(page, {
            uiOrigin,
            handlers: this.bridgeHandlers(),
            onProblem: ({ code, channel }) => this.options.log?.('bridge call refused or failed', { code, channel }),
          });
        },
      },
    );
  }

  /** The account's portal in its own profile, signed in with `session`. */
  openAccountWindow(accountId: string, session: PortalSession, url = `${session.origin}/`): Promise<AppWindow> {
    return this.windows.openWindow(
      { kind: 'account', accountId, url },
      {
        beforeLoad: async (page) => {
          await setSessionCookies(page, session);
          await handSessionToPortalPage(page, session);
          await this.addAccountKeys(page);
          await this.nameAccountWindow(page, accountId);
        },
      },
    );
  }

  /**
   * Every account window would be titled as its portal page is ("Portaldesk"): the title says
   * whose account and which portal it is, after whatever the page calls itself.
   */
  private async nameAccountWindow(page: Page, accountId: string): Promise<void> {
    const account = this.settings.get().accounts.find((a) => a.id === accountId);
    if (!account) return;
    const suffix = ` — ${account.user.displayName} · ${account.portal.title}`;
    // A string, not a function: the page must not get the TypeScript runner's helpers.
    await page.addInitScript({
      content: `(() => {
        const suffix = ${JSON.stringify(suffix)};
        const name = () => {
          if (!document.title.endsWith(suffix)) document.title = (document.title || 'Portaldesk') + suffix;
        };
        document.addEventListener('DOMContentLoaded', () => {
          name();
          new MutationObserver(name).observe(document.head, { subtree: true, childList: true, characterData: true });
        });
      })();`,
    });
  }

  /**
   * Ctrl+1…9 in an account's window. The portal's page gets one binding that can only switch
   * to the n-th account (checked here), never the bridge.
   */
  private async addAccountKeys(page: Page): Promise<void> {
    await page.exposeBinding(SWITCH_BINDING, (source, n: unknown) => {
      if (source.frame !== source.page.mainFrame()) return;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 9) return;
      void this.switchToNth(n).catch((error: unknown) =>
        this.options.log?.('account not switched', { code: (error as { code?: string }).code }),
      );
    });
    await page.addInitScript((binding: string) => {
      const call = (globalThis as unknown as Record<string, (n: number) => void>)[binding];
      window.addEventListener(
        'keydown',
        (event) => {
          if (!event.ctrlKey || event.altKey || event.shiftKey || event.metaKey) return;
          const n = Number.parseInt(event.key, 10);
          if (n >= 1 && n <= 9 && call) {
            event.preventDefault();
            call(n);
          }
        },
        true,
      );
    }, SWITCH_BINDING);
  }

  /**
   * A `portaldesk://` link: the portal's account (the active one when several accounts are on
   * that portal) comes forward, its dialog in the chat window as a notification's would be; with
   * no account there, the login window offers to add one, the address filled in.
   */
  async openLink(link: PortaldeskLink): Promise<AppWindow> {
    const settings = this.settings.get();
    const matching = settings.accounts.filter((a) => new URL(a.portal.origin).host === link.host);
    const account = matching.find((a) => a.id === settings.activeAccountId) ?? matching[0];
    if (!account) return this.showOwnWindow('login', { address: link.host });
    return link.dialogId
      ? this.showChat({ accountId: account.id, dialogId: link.dialogId })
      : this.switchTo(account.id);
  }

  /** Another launch of the app: open the link it was given, or bring a window forward. */
  async onSecondLaunch(launch: SecondLaunch): Promise<void> {
    const link = linkInArguments(launch.argv);
    if (link) {
      await this.openLink(link);
      return;
    }
    const first = this.windows.windows()[0];
    if (first) await this.windows.focus(first);
    else await this.showFirstWindow();
  }

  async removeAccount(accountId: string): Promise<void> {
    const account = this.settings.get().accounts.find((a) => a.id === accountId);
    await this.endPortalSession(accountId);
    this.delivery.disconnect(accountId);
    await this.settings.update((settings) => ({
      ...settings,
      accounts: settings.accounts.filter((a) => a.id !== accountId),
      activeAccountId: settings.activeAccountId === accountId ? null : settings.activeAccountId,
    }));
    this.chat.accountChanged();
    await this.vault.removeAccount(accountId);
    await this.windows.removeAccountData(accountId, account ? [account.portal.origin] : []);
    this.changed();
  }

  async quit(): Promise<void> {
    await this.qrSignIn.stop();
    this.idle?.stop();
    this.tray?.close();
    await this.delivery.stop();
    await this.windows.quit();
    await this.uiServer?.close();
  }

  private tray: StatusNotifierTray | undefined;
  /** Reports the automatic "away" while the computer is idle (where the session tells idle time). */
  private idle: { stop(): void } | undefined;

  /** Closing the last window keeps the app running: there is a tray to come back from, and the user wants it. */
  keepsRunningWithoutWindows(): boolean {
    return this.tray !== undefined && this.settings.get().closeToTray;
  }

  trayModel(): TrayModel {
    const accounts = this.accountSummaries().map((a) => {
      const photoPng = a.avatarUrl ? this.trayPhoto(a.id, a.portalOrigin, a.avatarUrl) : undefined;
      return { ...a, doNotDisturb: this.delivery.doNotDisturb.silences(a.id), ...(photoPng ? { photoPng } : {}) };
    });
    return { accounts, doNotDisturb: this.settings.get().doNotDisturb };
  }

  /** The accounts' photos as the tray shows them, by account and photo address. */
  private readonly trayPhotos = new Map<string, Uint8Array | 'loading'>();

  /** The photo's PNG once fetched; the first ask starts the fetch and redraws the tray when it lands. */
  private trayPhoto(accountId: string, origin: string, avatarUrl: string): Uint8Array | undefined {
    const url = new URL(avatarUrl, origin);
    if (url.origin !== origin) return undefined;
    const key = `${accountId}\u241f${url.pathname}`;
    const known = this.trayPhotos.get(key);
    if (known) return known === 'loading' ? undefined : known;
    this.trayPhotos.set(key, 'loading');
    void this.delivery
      .photoFile(accountId, url.pathname)
      .then((path) => (path ? readFile(path) : undefined))
      .then((bytes) => {
        if (!bytes) return void this.trayPhotos.delete(key);
        this.trayPhotos.set(key, bytes);
        this.refreshTray();
      })
      .catch(() => this.trayPhotos.delete(key));
    return undefined;
  }

  private changed(): void {
    this.options.onAccountsChanged?.();
    this.refreshTray();
    this.chat.accountsChanged();
  }

  refreshTray(): void {
    this.tray?.update(this.trayModel());
  }

  private async onTrayAction(action: TrayAction): Promise<void> {
    switch (action.kind) {
      case 'switch':
        await this.switchTo(action.accountId);
        return;
      case 'show':
        await this.onSecondLaunch({ type: 'second-launch', argv: [], cwd: '/' });
        return;
      case 'accounts':
        await this.showOwnWindow('accounts');
        return;
      case 'chats':
        await this.showChat();
        return;
      case 'toggle-do-not-disturb':
        await this.settings.update((s) => ({ ...s, doNotDisturb: !s.doNotDisturb }));
        this.refreshTray();
        return;
      case 'quit':
        this.options.onQuitRequested?.();
        return;
    }
  }

  /** What the account list and the tray show, in the user's order. */
  accountSummaries() {
    const settings = this.settings.get();
    return settings.accounts.map((a) => {
      const connection = this.delivery.connection(a.id);
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

  private bridgeHandlers(): BridgeHandlers {
    return {
      ...this.chat.handlers(),
      'app.info': async () => ({
        version: this.options.version,
        vaultWarning: this.vault.warning?.message ?? null,
        settingsWarning: this.settingsWarning?.message ?? null,
      }),
      'login.checkPortal': async ({ address }) => {
        const portal = await checkPortal(address, { fetch: this.fetch });
        return { origin: portal.origin, host: portal.host };
      },
      'login.signIn': async (request, caller) => {
        const result = await this.addAccount(request);
        if (result.status === 'need-otp') return result;
        await this.openAccountWindow(result.account.id, result.session);
        void closeSoon(caller.page);
        return { status: 'signed-in', accountId: result.account.id };
      },
      ...qrBridgeHandlers(this.qrSignIn),
      'network.signIn': async () => ({ portals: await this.networkSignIn.portals() }),
      'network.addAccounts': async ({ portalIds }, caller) => {
        const accountIds = await this.networkSignIn.addAccounts(portalIds);
        const last = accountIds.at(-1);
        if (last) await this.switchTo(last);
        void closeSoon(caller.page);
        return { accountIds };
      },
      'network.signOut': async (_request, caller) => {
        await this.networkSignIn.signOut();
        if (this.options.networkUrl) {
          await caller.page.context().clearCookies({ domain: new URL(this.options.networkUrl).hostname });
        }
        return {};
      },
      'accounts.list': async () => ({ accounts: this.accountSummaries() }),
      'accounts.switch': async ({ accountId }) => {
        await this.switchTo(accountId);
        return {};
      },
      'accounts.add': async () => {
        await this.showOwnWindow('login');
        return {};
      },
      'accounts.reorder': async ({ accountIds }) => {
        await this.reorderAccounts(accountIds);
        return {};
      },
      'accounts.signInAgain': async ({ accountId }) => {
        await this.showSignInAgain(accountId);
        return {};
      },
      'accounts.signOut': async ({ accountId }) => {
        await this.signOut(accountId);
        return {};
      },
      'accounts.remove': async ({ accountId }) => {
        await this.removeAccount(accountId);
        return {};
      },
      'accounts.setMuted': async ({ accountId, muted }) => {
        await this.setMuted(accountId, muted);
        return {};
      },
      'accounts.setNotifications': async ({ accountId, sound, preview }) => {
        await this.setNotificationPreferences(accountId, {
          ...(sound !== undefined ? { sound } : {}),
          ...(preview !== undefined ? { preview } : {}),
        });
        return {};
      },
      'settings.get': async () => appSettingsView(this.settings.get()),
      'settings.update': async (change) => {
        const updated = await this.settings.update((settings) => ({
          ...settings,
          ...Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)),
        }));
        this.changed();
        if (change.startOnLogin !== undefined && this.options.xdg) {
          await setStartOnLogin(this.options.xdg, change.startOnLogin);
        }
        return appSettingsView(updated);
      },
      'window.close': async (_request, caller) => {
        void closeSoon(caller.page);
        return {};
      },
    };
  }
}

function appSettingsView(settings: { doNotDisturb: boolean; closeToTray: boolean; startOnLogin: boolean }) {
  return {
    doNotDisturb: settings.doNotDisturb,
    closeToTray: settings.closeToTray,
    startOnLogin: settings.startOnLogin,
  };
}

/** Closes after the bridge call has answered, so the window sees its result first. */
async function closeSoon(page: Page): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  await page.close().catch(() => undefined);
}

/**
 * The portal web UI keeps its CSRF token (`sessid`) in the tab's `sessionStorage`, filled at its
 * own sign-in; a window signed in by the desktop gets it there before the page's first script.
 */
async function handSessionToPortalPage(page: Page, session: PortalSession): Promise<void> {
  await page.addInitScript(
    ({ origin, key, value }) => {
      if (window.location.origin === origin && !window.sessionStorage.getItem(key)) {
        window.sessionStorage.setItem(key, value);
      }
    },
    {
      origin: session.origin,
      key: PORTAL_SESSION_STORAGE_KEY,
      value: JSON.stringify({ userId: session.userId, sessid: session.sessid }),
    },
  );
}

async function setSessionCookies(page: Page, session: PortalSession): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const secure = session.origin.startsWith('https:');
    await cdp.send('Network.setCookies', {
      cookies: [...session.cookies].map(([name, value]) => ({
        name,
        value,
        url: `${session.origin}/`,
        path: '/',
        httpOnly: true,
        secure,
        sameSite: 'Lax' as const,
      })),
    });
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
