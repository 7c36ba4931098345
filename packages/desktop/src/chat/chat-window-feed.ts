import { RestCallError } from '@portaldesk/client';
import type { BridgeEventName, BridgeEventPayload, ChatAccount } from '@portaldesk/protocol';
import { sendBridgeEvent } from '../bridge/bridge-events.ts';
import type { BridgeHandlers, UserFacingError } from '../bridge/ui-bridge.ts';
import type { AccountSettings } from '../config/settings.ts';
import type { SettingsHolder } from '../config/settings-holder.ts';
import type { BackgroundDelivery } from '../delivery/background-delivery.ts';
import type { PushEvent } from '../delivery/pull-connection.ts';
import type { AppWindow } from '../windows/window-manager.ts';

export interface ChatWindowFeedOptions {
  settings: SettingsHolder;
  delivery: BackgroundDelivery;
  /** The origin the UI is served from: events go only to a page that shows it. */
  uiOrigin: string;
  /** The chat window, when it is open. */
  chatWindow(): AppWindow | undefined;
  /** Makes the account active (the same switch as the accounts window's, without its window). */
  activate(accountId: string): Promise<void>;
}

export type ChatBridgeHandlers = Pick<
  BridgeHandlers,
  'chat.account' | 'chat.rest' | 'chat.showAccount' | 'chat.viewing' | 'chat.fileSend' | 'chat.fileRead'
>;

/**
 * The chat window's link to the main process. The window holds no portal session: its REST calls
 * are made here with the account's background connection (the session cookie and `sessid` never
 * reach the page), and its live updates are the events that connection already receives, passed
 * on for the account the window shows. So a chat window costs no second realtime connection and
 * no browser profile per account.
 */
export class ChatWindowFeed {
  /** What the chat window last said it shows, and whether it had focus. */
  private viewing: { accountId: string; dialogId: string | null; focused: boolean } | undefined;

  /** The account the window was last told of, as JSON: a settings change that leaves it alone is not sent. */
  private toldAccount: string;

  /**
   * Follows the settings itself: a change of the active account (or of how it is named) switches
   * the window; any change reloads its account list.
   */
  constructor(private readonly options: ChatWindowFeedOptions) {
    this.toldAccount = JSON.stringify(this.shownAccount());
    options.settings.subscribe(() => {
      if (JSON.stringify(this.shownAccount()) !== this.toldAccount) this.accountChanged();
      this.accountsChanged();
    });
  }

  /** The person has `dialogId` open in the chat window, and that window has focus. */
  isBeingRead(accountId: string, dialogId: string): boolean {
    const viewing = this.viewing;
    if (!viewing || !this.options.chatWindow()) return false;
    return viewing.focused && viewing.accountId === accountId && viewing.dialogId === dialogId;
  }

  /** The account the window shows: the active one. */
  shownAccount(): ChatAccount | null {
    const settings = this.options.settings.get();
    const account = settings.accounts.find((a) => a.id === settings.activeAccountId);
    return account ? chatAccountOf(account) : null;
  }

  /** The active account changed: the window switches with it. */
  accountChanged(): void {
    const account = this.shownAccount();
    this.toldAccount = JSON.stringify(account);
    void this.send('chat.account', { account });
  }

  /** Counts or connection states changed: the window's account list reloads. */
  accountsChanged(): void {
    void this.send('accounts.changed', {});
  }

  /** An `im` realtime event of some account; only the shown account's reach the window. */
  push(accountId: string, event: PushEvent): void {
    if (accountId !== this.options.settings.get().activeAccountId) return;
    void this.send('chat.push', { accountId, command: event.command, params: event.params });
  }

  resumed(accountId: string): void {
    if (accountId === this.options.settings.get().activeAccountId) void this.send('chat.resync', { accountId });
  }

  /** Opens `dialogId` in the open chat window (the account is already the active one). */
  openDialog(accountId: string, dialogId: string): Promise<boolean> {
    return this.send('chat.openDialog', { accountId, dialogId });
  }

  handlers(): ChatBridgeHandlers {
    return {
      'chat.account': async () => ({ account: this.shownAccount() }),
      'chat.rest': async ({ accountId, method, params }) => {
        const connection = this.options.delivery.connection(accountId);
        if (!connection) throw userFacing('ACCOUNT_NOT_CONNECTED', 'This account is not connected.');
        try {
          // Right after a sign-in the background connection may still be signing in.
          await connection.currentSession();
          return { result: await connection.rest.call(method, params) };
        } catch (error) {
          if (error instanceof RestCallError) throw userFacing(error.code, error.description);
          throw error;
        }
      },
      'chat.fileSend': async ({ accountId, dialogId, name, contentBase64 }) => {
        const connection = this.connected(accountId);
        await portalErrorsAsUserFacing(() =>
          connection.files.send(dialogId, name, Buffer.from(contentBase64, 'base64')),
        );
        return {};
      },
      'chat.fileRead': async ({ accountId, address }) => {
        const connection = this.connected(accountId);
        const file = await portalErrorsAsUserFacing(() => connection.files.read(address));
        return { contentType: file.contentType, contentBase64: Buffer.from(file.bytes).toString('base64') };
      },
      'chat.showAccount': async ({ accountId }) => {
        if (!this.options.settings.get().accounts.some((a) => a.id === accountId)) {
          throw userFacing('NO_SUCH_ACCOUNT', 'There is no such account.');
        }
        await this.options.activate(accountId);
        return {};
      },
      'chat.viewing': async (viewing) => {
        this.viewing = viewing;
        return {};
      },
    };
  }

  private connected(accountId: string) {
    const connection = this.options.delivery.connection(accountId);
    if (!connection) throw userFacing('ACCOUNT_NOT_CONNECTED', 'This account is not connected.');
    return connection;
  }

  private async send<E extends BridgeEventName>(name: E, payload: BridgeEventPayload<E>): Promise<boolean> {
    const window = this.options.chatWindow();
    if (!window) return false;
    return sendBridgeEvent(window.page, this.options.uiOrigin, name, payload).catch(() => false);
  }
}

function chatAccountOf(account: AccountSettings): ChatAccount {
  return {
    id: account.id,
    userId: account.user.id,
    userDisplayName: account.user.displayName,
    portalTitle: account.portal.title,
    portalOrigin: account.portal.origin,
    avatarUrl: account.user.avatarUrl ?? null,
  };
}

/** Portal errors cross the bridge with the portal's own code (the messenger screens act on it). */
function userFacing(code: string, message: string): UserFacingError & Error {
  return Object.assign(new Error(message), { code, userFacing: true as const });
}

async function portalErrorsAsUserFacing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RestCallError) throw userFacing(error.code, error.description);
    throw error;
  }
}
