import { bbCodeToPlainText, NOTIFICATIONS_TARGET } from '@portaldesk/protocol';
import type { AccountSignIn } from '../accounts/account-sign-in.ts';
import type { AccountSettings } from '../config/settings.ts';
import type { SettingsHolder } from '../config/settings-holder.ts';
import type { DesktopNotifier } from '../notifications/desktop-notifier.ts';
import { applyNotificationPreferences, type NotificationContent } from '../notifications/notification-preferences.ts';
import { PortalDoNotDisturb } from '../notifications/portal-do-not-disturb.ts';
import { SenderPhotos } from '../notifications/sender-photos.ts';
import type { DesktopFetch } from '../portal/desktop-http-client.ts';
import {
  AccountConnection,
  type AccountConnectionEvents,
  type AccountConnectionState,
  type IncomingMessage,
  type IncomingNotification,
} from './account-connection.ts';
import { messageNotificationBody } from './message-notification-body.ts';
import type { PullConnectionOptions } from './pull-connection.ts';

export interface AccountStatus {
  accountId: string;
  state: AccountConnectionState;
  unread: number;
}

export interface BackgroundDeliveryOptions {
  settings: SettingsHolder;
  signIn: AccountSignIn;
  fetch: DesktopFetch;
  notifier?: DesktopNotifier;
  /** Where a notification's icon (the sender's photo) is kept; without it the app's icon shows. */
  senderPhotosDir?: string;
  /** The person is reading this dialog in a focused window: its messages need no notification. */
  isBeingRead?(accountId: string, dialogId: string): boolean;
  /** Counts or connection states changed (the tray and the account list redraw). */
  onChange?(): void;
  /** An account's `im` realtime event, and its connection resuming (for the chat window). */
  onPush?: AccountConnectionEvents['onPush'];
  onResumed?: AccountConnectionEvents['onResumed'];
  log?(message: string, fields?: Record<string, unknown>): void;
  backoffMs?: PullConnectionOptions['backoffMs'];
  lookup?: PullConnectionOptions['lookup'];
}

/**
 * Every account's connection, kept while the app runs, windows open or not: unread counts for
 * the tray and account list, and notifications — unless do-not-disturb is on (here, or as the
 * account's status on its portal) or the account is muted; the counts go on either way.
 */
export class BackgroundDelivery {
  private readonly connections = new Map<string, AccountConnection>();
  /** Each account's "Do not disturb" as chosen on its portal. */
  readonly doNotDisturb: PortalDoNotDisturb;
  private readonly senderPhotos: SenderPhotos | undefined;

  constructor(private readonly options: BackgroundDeliveryOptions) {
    this.doNotDisturb = new PortalDoNotDisturb(() => this.options.onChange?.());
    this.senderPhotos = options.senderPhotosDir
      ? new SenderPhotos(options.senderPhotosDir, async (accountId, address) => {
          const connection = this.connections.get(accountId);
          if (!connection) throw new Error('the account is not connected');
          return (await connection.files.read(address)).bytes;
        })
      : undefined;
  }

  /**
   * A photo on the account's portal (`/photo/…`) as a PNG file of this user's, fetched once with
   * the account's session; undefined while it cannot be had.
   */
  photoFile(accountId: string, address: string): Promise<string | undefined> {
    return this.senderPhotos?.pathFor(accountId, address) ?? Promise.resolve(undefined);
  }

  /** Connects every account in the settings that is not connected yet; drops removed ones. */
  sync(): void {
    const accounts = this.options.settings.get().accounts;
    const ids = new Set(accounts.map((a) => a.id));
    for (const [id, connection] of this.connections) {
      if (!ids.has(id)) {
        connection.stop();
        this.connections.delete(id);
        this.doNotDisturb.forget(id);
      }
    }
    for (const account of accounts) if (!this.connections.has(account.id)) this.connect(account);
    this.options.onChange?.();
  }

  connection(accountId: string): AccountConnection | undefined {
    return this.connections.get(accountId);
  }

  /** Stops an account's connection (signed out or removed); `sync` starts it again if it is listed. */
  disconnect(accountId: string): void {
    this.connections.get(accountId)?.stop();
    this.connections.delete(accountId);
    this.doNotDisturb.forget(accountId);
    this.options.onChange?.();
  }

  /** The network came back or the machine woke: every account reconnects and catches up. */
  reconnectAll(reason: string): void {
    for (const connection of this.connections.values()) connection.reconnectNow(reason);
  }

  statuses(): AccountStatus[] {
    return [...this.connections.values()].map((c) => ({ accountId: c.accountId, state: c.state, unread: c.unread }));
  }

  totalUnread(): number {
    let total = 0;
    for (const connection of this.connections.values()) total += connection.unread;
    return total;
  }

  async stop(): Promise<void> {
    for (const connection of this.connections.values()) connection.stop();
    this.connections.clear();
    await this.options.notifier?.close();
  }

  private connect(account: AccountSettings): void {
    // Read the portal status each time the realtime connection comes (back) online: pushes
    // missed while it was down are not replayed.
    let wasOnline = false;
    const connection: AccountConnection = new AccountConnection({
      account,
      signIn: this.options.signIn,
      fetch: this.options.fetch,
      events: {
        onMessage: (message) => void this.notify(message),
        onDialogRead: (accountId, dialogId) => void this.options.notifier?.withdraw(accountId, dialogId),
        onNotification: (notification) => void this.notifyPortalNotification(notification),
        onNotificationsRead: (accountId) => void this.options.notifier?.withdraw(accountId, NOTIFICATIONS_TARGET),
        onChange: () => {
          const online = connection.state === 'online';
          if (online && !wasOnline) void this.doNotDisturb.load(connection);
          wasOnline = online;
          this.options.onChange?.();
        },
        onPush: (accountId, event) => {
          this.doNotDisturb.notePush(connection, event);
          this.options.onPush?.(accountId, event);
        },
        onResumed: (accountId) => this.options.onResumed?.(accountId),
      },
      ...(this.options.log ? { log: this.options.log } : {}),
      ...(this.options.backoffMs ? { backoffMs: this.options.backoffMs } : {}),
      ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
    });
    this.connections.set(account.id, connection);
    void connection.start();
  }

  /**
   * A portal notification: shown like a message, one per account (a newer one replaces it), and
   * a click opens the account's notifications list in the chat window.
   */
  private notifyPortalNotification(notification: IncomingNotification): Promise<void> {
    return this.show(notification.accountId, NOTIFICATIONS_TARGET, (account) => ({
      title: `${notification.authorName ?? notification.title ?? 'Notification'} · ${accountName(account)}`,
      body: bbCodeToPlainText(notification.text),
      withoutPreview: 'New notification',
    }));
  }

  private notify(message: IncomingMessage): Promise<void> {
    const who = message.chatTitle ? `${message.authorName} in ${message.chatTitle}` : message.authorName;
    return this.show(
      message.accountId,
      message.dialogId,
      (account) => ({
        title: `${who} · ${accountName(account)}`,
        body: messageNotificationBody(message.text, message.files),
        withoutPreview: 'New message',
      }),
      message.authorPhoto,
    );
  }

  /**
   * The one decision whether something new raises a notification: not for a muted account, not
   * under the app's or the portal's do-not-disturb, not for the dialog the person is reading.
   */
  private async show(
    accountId: string,
    dialogId: string,
    content: (account: AccountSettings) => NotificationContent,
    /** The sender's photo address, shown as the notification's icon. */
    photo?: string,
  ): Promise<void> {
    const settings = this.options.settings.get();
    const account = settings.accounts.find((a) => a.id === accountId);
    if (!account || account.muted || settings.doNotDisturb || !this.options.notifier) return;
    if (this.doNotDisturb.silences(account.id)) return;
    if (this.options.isBeingRead?.(account.id, dialogId)) return;
    const iconPath = photo ? await this.senderPhotos?.pathFor(account.id, photo) : undefined;
    try {
      const shown = applyNotificationPreferences(account.notifications, content(account));
      await this.options.notifier.show({
        accountId: account.id,
        dialogId,
        ...shown,
        ...(iconPath ? { iconPath } : {}),
      });
    } catch (error) {
      this.options.log?.('notification not shown', { message: String(error) });
    }
  }
}

/** The account as a notification names it: the portal's name and the user. */
function accountName(account: AccountSettings): string {
  return `${account.portal.title} (${account.user.displayName})`;
}
