import type { BridgeWindow } from '@portaldesk/protocol';
import type { AccountLifecycle } from '../accounts/account-lifecycle.ts';
import type { PortalSession } from '../accounts/account-sign-in.ts';
import { attachBridge, type WindowBridgeHandlers } from '../bridge/ui-bridge.ts';
import type { ChatWindowFeed } from '../chat/chat-window-feed.ts';
import type { SettingsHolder } from '../config/settings-holder.ts';
import { linkInArguments, type PortaldeskLink } from '../links/portaldesk-link.ts';
import { type OpenOutside, openInSystemBrowser } from '../links/system-browser.ts';
import { preparePortalPage } from '../portal/portal-page-session.ts';
import type { SecondLaunch } from '../single-instance/single-instance.ts';
import { closeSoon } from './close-soon.ts';
import { keepInApp } from './keep-in-app.ts';
import { type OwnWindowName, ownWindowTarget } from './own-windows.ts';
import type { AppWindow, WindowManager } from './window-manager.ts';

export interface WindowRouterOptions {
  settings: SettingsHolder;
  windows: WindowManager;
  lifecycle: Pick<AccountLifecycle, 'connection'>;
  /** The built UI's base URL (ends with `/`). */
  uiBaseUrl: string;
  /** A Vite dev server in place of the built UI: the UI is being worked on. */
  development: boolean;
  openOutside?: OpenOutside;
  log?(message: string, fields?: Record<string, unknown>): void;
}

/** Each window's bridge handlers, given once the owners they call exist. */
export type BridgeHandlersByWindow = { [W in BridgeWindow]: () => WindowBridgeHandlers<W> };

/**
 * Which window shows what: the first window, an account's portal window, the desktop's own
 * windows (each with its own bridge handlers only), a link, a second launch. The active account
 * is the one whose window came forward last.
 */
export class WindowRouter {
  private handlers: BridgeHandlersByWindow | undefined;
  private chat: ChatWindowFeed | undefined;

  constructor(private readonly options: WindowRouterOptions) {}

  /** The bridge handlers and the chat feed call back into the router; they are given after it is made. */
  connect(handlers: BridgeHandlersByWindow, chat: ChatWindowFeed): void {
    this.handlers = handlers;
    this.chat = chat;
  }

  /** The first window: the active account's portal when it can be signed in again, else login. */
  async showFirstWindow(): Promise<AppWindow> {
    const active = this.options.settings.get().activeAccountId;
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
    const account = this.options.settings.get().accounts.find((a) => a.id === accountId);
    if (!account) return this.showOwnWindow('login');
    return this.showOwnWindow('login', { address: new URL(account.portal.origin).host, login: account.user.login });
  }

  /** Makes `accountId` the active account and brings its window forward, opening it when closed. */
  async switchTo(accountId: string): Promise<AppWindow> {
    if (!this.options.settings.get().accounts.some((a) => a.id === accountId))
      throw new Error(`no account ${accountId}`);
    await this.activate(accountId);
    const open = this.options.windows
      .windows()
      .find((w) => w.target.kind === 'account' && w.target.accountId === accountId);
    if (open) {
      await this.options.windows.focus(open);
      return open;
    }
    return this.openAccountWindow(accountId, await this.options.lifecycle.connection(accountId).currentSession());
  }

  /** Ctrl+1…9: the n-th account in the user's order. */
  async switchToNth(n: number): Promise<void> {
    const account = this.options.settings.get().accounts[n - 1];
    if (account) await this.switchTo(account.id);
  }

  /** Makes `accountId` the active account; the chat window and the tray follow the settings. */
  async activate(accountId: string): Promise<void> {
    if (this.options.settings.get().activeAccountId === accountId) return;
    await this.options.settings.update((settings) => ({ ...settings, activeAccountId: accountId }));
  }

  /**
   * Brings the chat window forward (opening it when closed); with `dialog`, that account becomes
   * the active one and the window opens the dialog (a notification was clicked).
   */
  async showChat(dialog?: { accountId: string; dialogId: string }): Promise<AppWindow> {
    if (dialog) await this.activate(dialog.accountId);
    const open = this.ownWindow('chat');
    if (open && dialog && (await this.chat?.openDialog(dialog.accountId, dialog.dialogId))) {
      await this.options.windows.focus(open);
      return open;
    }
    return this.showOwnWindow('chat', dialog ? { account: dialog.accountId, dialog: dialog.dialogId } : {});
  }

  ownWindow(name: OwnWindowName): AppWindow | undefined {
    return this.options.windows.windows().find((w) => w.target.kind === 'own' && w.target.name === name);
  }

  /** Closes one of the desktop's own windows once its last bridge call has answered. */
  closeOwnWindowSoon(name: OwnWindowName): void {
    const open = this.ownWindow(name);
    if (open) void closeSoon(open.page);
  }

  /** Opens one of the desktop's own windows, or brings it forward when it is open. */
  async showOwnWindow(name: OwnWindowName, query: Record<string, string> = {}): Promise<AppWindow> {
    const { uiBaseUrl, windows } = this.options;
    const target = ownWindowTarget(name, uiBaseUrl);
    const url = new URL(target.url);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const open = this.ownWindow(name);
    if (open) {
      if (Object.keys(query).length > 0) await open.page.goto(url.href);
      await windows.focus(open);
      return open;
    }
    const uiOrigin = new URL(uiBaseUrl).origin;
    const handlers = this.handlers;
    if (!handlers) throw new Error('the window router has no bridge handlers yet');
    return windows.openWindow(
      { ...target, url: url.href },
      {
        beforeLoad: async (page) => {
          await keepInApp(page, {
            appOrigin: uiOrigin,
            openOutside: this.options.openOutside ?? openInSystemBrowser,
            development: this.options.development,
            ...(this.options.log ? { log: this.options.log } : {}),
          });
          await attachBridge(page, {
            uiOrigin,
            window: name,
            handlers: handlers[name](),
            onProblem: ({ code, channel }) => this.options.log?.('bridge call refused or failed', { code, channel }),
          });
        },
      },
    );
  }

  /** The account's portal in its own profile, signed in with `session`. */
  openAccountWindow(accountId: string, session: PortalSession, url = `${session.origin}/`): Promise<AppWindow> {
    const account = this.options.settings.get().accounts.find((a) => a.id === accountId);
    return this.options.windows.openWindow(
      { kind: 'account', accountId, url },
      {
        beforeLoad: (page) =>
          preparePortalPage(page, {
            session,
            titleSuffix: account ? ` — ${account.user.displayName} · ${account.portal.title}` : undefined,
            switchToNth: (n) =>
              void this.switchToNth(n).catch((error: unknown) =>
                this.options.log?.('account not switched', { code: (error as { code?: string }).code }),
              ),
          }),
      },
    );
  }

  /** The Network's own sign-in page in an app window without the bridge: the password stays there. */
  async openNetworkPage(url: string, closed: () => void) {
    const window = await this.options.windows.openWindow({
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

  /**
   * A `portaldesk://` link: the portal's account (the active one when several accounts are on
   * that portal) comes forward, its dialog in the chat window as a notification's would be; with
   * no account there, the login window offers to add one, the address filled in.
   */
  async openLink(link: PortaldeskLink): Promise<AppWindow> {
    const settings = this.options.settings.get();
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
    const first = this.options.windows.windows()[0];
    if (first) await this.options.windows.focus(first);
    else await this.showFirstWindow();
  }
}
