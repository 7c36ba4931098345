import {
  ImMessageCommandSchema,
  ImNotifyAddCommandSchema,
  ImReadCommandSchema,
  PHOTO_ADDRESS,
  USER_STATUS_EVENT,
} from '@portaldesk/protocol';
import { z } from 'zod';
import type { AccountSignIn, PortalSession } from '../accounts/account-sign-in.ts';
import type { AccountSettings } from '../config/settings.ts';
import type { DesktopFetch } from '../portal/desktop-http-client.ts';
import { PortalFileClient } from '../portal/portal-file-client.ts';
import { PortalRestClient } from '../portal/portal-rest-client.ts';
import type { NotifiedFile } from './message-notification-body.ts';
import { MutedChats } from './muted-chats.ts';
import { PullConnection, type PullConnectionOptions, type PushEvent } from './pull-connection.ts';

const countersSchema = z.object({ TYPE: z.object({ MESSENGER: z.number(), NOTIFY: z.number().catch(0) }) });

/** Events after which the unread count has changed. */
const COUNTER_COMMANDS = new Set([
  'message',
  'messageChat',
  'messageDelete',
  'readMessage',
  'readMessageChat',
  'unreadMessage',
  'unreadMessageChat',
  'chatUserLeave',
  'notifyAdd',
  'notifyRead',
  'notifyUnread',
  'notifyDelete',
]);
const READ_COMMANDS = new Set(['readMessage', 'readMessageChat']);
/** The user's portal notifications were read (or removed) on some device. */
const NOTIFY_GONE_COMMANDS = new Set(['notifyRead', 'notifyDelete']);

export type AccountConnectionState = 'connecting' | 'online' | 'offline' | 'needs-password';

export interface IncomingMessage {
  accountId: string;
  dialogId: string;
  messageId: number;
  authorName: string;
  /** The author's photo on the portal (`/photo/…`), when they have one. */
  authorPhoto?: string;
  /** The group chat's title; absent in a one-to-one dialog. */
  chatTitle?: string;
  text: string;
  /** Files posted with it: the notification says what was sent. */
  files?: NotifiedFile[];
}

/** A portal notification (`im.notify.personal.add` / `im.notify.system.add`) for the account's user. */
export interface IncomingNotification {
  accountId: string;
  notificationId: number;
  /** Who it is from; absent for a system notification. */
  authorName?: string;
  title?: string;
  text: string;
}

export interface AccountConnectionEvents {
  onMessage(message: IncomingMessage): void;
  onNotification?(notification: IncomingNotification): void;
  /** The account's unread portal notifications were read elsewhere. */
  onNotificationsRead?(accountId: string): void;
  onDialogRead(accountId: string, dialogId: string): void;
  onChange(): void;
  /**
   * Every `im` realtime event, replays included (the chat window drops what it already shows),
   * and the `online`/`userStatus` pushes.
   */
  onPush?(accountId: string, event: PushEvent): void;
  /** The realtime connection resumed after a loss: whoever shows this account reloads. */
  onResumed?(accountId: string): void;
}

export interface AccountConnectionOptions {
  account: AccountSettings;
  signIn: AccountSignIn;
  fetch: DesktopFetch;
  events: AccountConnectionEvents;
  log?(message: string, fields?: Record<string, unknown>): void;
  backoffMs?: PullConnectionOptions['backoffMs'];
  lookup?: PullConnectionOptions['lookup'];
}

/** How many message ids are remembered to tell a replayed event from a new one. */
const SEEN_LIMIT = 2_000;

/**
 * One account in the background: signed in with its application password, one REST client, one
 * realtime connection, the unread count. Messages from others become `onMessage` exactly once,
 * whatever the realtime connection replays after a reconnect.
 */
export class AccountConnection {
  state: AccountConnectionState = 'connecting';
  /** Unread messages (one-to-one dialogs and chats). */
  messages = 0;
  /** Unread portal notifications. */
  notifications = 0;
  private session: PortalSession | undefined;
  private renewing: Promise<PortalSession> | undefined;
  private pull: PullConnection | undefined;
  /** `m<id>` for messages, `n<id>` for notifications: two sequences of ids. */
  private readonly seen = new Set<string>();
  private readonly mutedChats = new MutedChats();
  private countersTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  readonly rest: PortalRestClient;
  /** Chat files sent and read with this account's session (for the chat window). */
  readonly files: PortalFileClient;

  constructor(private readonly options: AccountConnectionOptions) {
    this.rest = new PortalRestClient({
      fetch: options.fetch,
      session: () => {
        if (!this.session) throw new Error('not signed in');
        return this.session;
      },
      renew: () => this.renew(),
    });
    this.files = new PortalFileClient({ fetch: options.fetch, rest: this.rest, session: () => this.currentSession() });
  }

  /** What the tray and the account list count: unread messages and portal notifications. */
  get unread(): number {
    return this.messages + this.notifications;
  }

  /** Signed in to the portal (whatever the realtime connection is doing). */
  get signedIn(): boolean {
    return this.session !== undefined;
  }

  get accountId(): string {
    return this.options.account.id;
  }

  /** The signed-in user's id on the portal, once signed in. */
  get userId(): number | undefined {
    return this.session?.userId;
  }

  /** The portal session, for the account's window. */
  async currentSession(): Promise<PortalSession> {
    return this.session ?? this.renew();
  }

  async start(): Promise<void> {
    try {
      await this.currentSession();
    } catch (error) {
      const code = (error as { code?: string }).code;
      this.options.log?.('account not connected', { accountId: this.accountId, code });
      this.setState(code === 'ACCOUNT_NEEDS_PASSWORD' ? 'needs-password' : 'offline');
      if (code !== 'ACCOUNT_NEEDS_PASSWORD' && !this.stopped) setTimeout(() => void this.start(), 5_000).unref();
      return;
    }
    if (this.stopped) return;
    await Promise.all([this.refreshCounters(), this.loadMutedChats()]);
    this.pull = new PullConnection({
      loadConfig: () => this.rest.call('pull.config.get'),
      onEvent: (event) => this.onEvent(event),
      onState: (state) => this.setState(state),
      onReconnected: () => {
        this.scheduleCounters(0);
        void this.loadMutedChats();
        this.options.events.onResumed?.(this.accountId);
      },
      ...(this.options.log ? { log: this.options.log } : {}),
      ...(this.options.backoffMs ? { backoffMs: this.options.backoffMs } : {}),
      ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
    });
    this.pull.start();
  }

  /** Reconnects now (the network came back, the machine woke up). */
  reconnectNow(reason: string): void {
    this.pull?.reconnectNow(reason);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.countersTimer);
    this.pull?.stop();
  }

  private renew(): Promise<PortalSession> {
    this.renewing ??= this.options.signIn.resume(this.accountId).then(
      (session) => {
        this.session = session;
        this.renewing = undefined;
        return session;
      },
      (error: unknown) => {
        this.renewing = undefined;
        throw error;
      },
    );
    return this.renewing;
  }

  private setState(state: AccountConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.events.onChange();
  }

  private onEvent(event: PushEvent): void {
    if (event.moduleId === USER_STATUS_EVENT.moduleId) {
      // People's statuses: for whoever shows them (the chat window) and the do-not-disturb rule.
      this.options.events.onPush?.(this.accountId, event);
      return;
    }
    if (event.moduleId !== 'im') return;
    this.options.events.onPush?.(this.accountId, event);
    this.mutedChats.heard(event.command, event.params);
    if (COUNTER_COMMANDS.has(event.command)) this.scheduleCounters(150);
    if (READ_COMMANDS.has(event.command)) {
      const read = ImReadCommandSchema.safeParse(event.params);
      if (read.success) this.options.events.onDialogRead(this.accountId, read.data.dialogId);
    }
    if (NOTIFY_GONE_COMMANDS.has(event.command)) this.options.events.onNotificationsRead?.(this.accountId);
    if (event.command === 'notifyAdd') {
      this.onNotifyAdd(event.params);
      return;
    }
    if (event.command !== 'message' && event.command !== 'messageChat') return;
    const parsed = ImMessageCommandSchema.safeParse(event.params);
    if (!parsed.success || parsed.data.dialogId === undefined) return;
    const { message, dialogId, users, chat, chatId } = parsed.data;
    if (message.senderId === this.session?.userId || parsed.data.notify === false) return;
    // A muted chat counts (above) but never notifies.
    if (this.mutedChats.has(dialogId)) return;
    if (!this.remember(`m${message.id}`)) return;
    const authorPhoto = users?.[String(message.senderId)]?.avatar;
    const chatTitle = chat?.[String(chatId)]?.name;
    this.options.events.onMessage({
      accountId: this.accountId,
      dialogId,
      messageId: message.id,
      authorName: users?.[String(message.senderId)]?.name ?? 'Someone',
      ...(authorPhoto && PHOTO_ADDRESS.test(authorPhoto) ? { authorPhoto } : {}),
      ...(chatTitle ? { chatTitle } : {}),
      text: message.text,
      ...(parsed.data.files.length ? { files: parsed.data.files.map(({ name, type }) => ({ name, type })) } : {}),
    });
  }

  private onNotifyAdd(params: unknown): void {
    const parsed = ImNotifyAddCommandSchema.safeParse(params);
    if (!parsed.success || parsed.data.read === 'Y') return;
    const { id, text, title, userName } = parsed.data;
    if (!this.remember(`n${id}`)) return;
    this.options.events.onNotification?.({
      accountId: this.accountId,
      notificationId: id,
      ...(userName ? { authorName: userName } : {}),
      ...(title ? { title } : {}),
      text,
    });
  }

  /** False when the message or notification was already seen (a replay after a reconnect). */
  private remember(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (this.seen.size > SEEN_LIMIT) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }

  private async loadMutedChats(): Promise<void> {
    const userId = this.session?.userId;
    if (userId !== undefined) await this.mutedChats.load((method, params) => this.rest.call(method, params), userId);
  }

  private scheduleCounters(delayMs: number): void {
    clearTimeout(this.countersTimer);
    this.countersTimer = setTimeout(() => void this.refreshCounters(), delayMs);
  }

  private async refreshCounters(): Promise<void> {
    try {
      const counters = countersSchema.parse(await this.rest.call('im.counters.get'));
      const { MESSENGER, NOTIFY } = counters.TYPE;
      if (MESSENGER !== this.messages || NOTIFY !== this.notifications) {
        this.messages = MESSENGER;
        this.notifications = NOTIFY;
        this.options.events.onChange();
      }
    } catch (error) {
      this.options.log?.('counters not loaded', { accountId: this.accountId, code: (error as { code?: string }).code });
    }
  }
}
