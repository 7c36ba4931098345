import { type MessageBus, type ProxyInterface, Variant } from '@jellybrick/dbus-next';
import { busNameAvailable } from '../dbus/bus-name-available.ts';
import { openWatchedSessionBus } from '../dbus/watched-session-bus.ts';
import type { DesktopNotifier, MessageNotification, NotificationActivated } from './desktop-notifier.ts';

const SERVICE = 'org.freedesktop.Notifications';
const PATH = '/org/freedesktop/Notifications';
/** The action a click on the notification's body invokes (Desktop Notifications spec, "default"). */
const DEFAULT_ACTION = 'default';
const CONNECT_TIMEOUT_MS = 5_000;

export interface FreedesktopNotifierOptions {
  onActivated: NotificationActivated;
  /** The session bus address; the environment's (`DBUS_SESSION_BUS_ADDRESS`) by default. */
  busAddress?: string;
  log?(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Notifications through the freedesktop notification service on the session bus
 * (`org.freedesktop.Notifications`), which every Linux desktop runs. One notification per
 * account and dialog: a new message replaces the dialog's earlier one (`replaces_id`), and a
 * click (`ActionInvoked`) names the account and dialog to open.
 */
export class FreedesktopNotifier implements DesktopNotifier {
  /** `account␟dialog` → the id the service gave the dialog's notification. */
  private readonly shown = new Map<string, number>();
  private readonly byId = new Map<number, { accountId: string; dialogId: string }>();
  /**
   * `account␟dialog` → its last `Notify` call. A dialog's calls wait for each other: the next
   * must carry the id the service gave the previous one, or a burst stacks popups.
   */
  private readonly pending = new Map<string, Promise<void>>();

  private constructor(
    private readonly bus: MessageBus,
    private readonly service: ProxyInterface,
    options: FreedesktopNotifierOptions,
  ) {
    service.on('ActionInvoked', (id, action) => {
      const target = this.byId.get(id as number);
      if (target && action === DEFAULT_ACTION) options.onActivated(target);
    });
    service.on('NotificationClosed', (id) => {
      const target = this.byId.get(id as number);
      if (!target) return;
      this.byId.delete(id as number);
      this.shown.delete(key(target.accountId, target.dialogId));
    });
  }

  /** Connects to the session bus; `undefined` where there is none (the app then shows no notifications). */
  static async connect(options: FreedesktopNotifierOptions): Promise<FreedesktopNotifier | undefined> {
    const watched = openWatchedSessionBus({ ...options, purpose: 'notifications' });
    if (!watched) return undefined;
    const { bus, failed: busFailed } = watched;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('the session bus did not answer')), CONNECT_TIMEOUT_MS);
    });
    try {
      const proxy = async () => {
        if (!(await busNameAvailable(bus, SERVICE))) throw new Error('no notification service on the bus');
        return bus.getProxyObject(SERVICE, PATH);
      };
      const lookup = proxy();
      lookup.catch(() => undefined); // answered below; a late failure after the time limit is not unhandled
      const object = await Promise.race([lookup, busFailed, timeout]);
      return new FreedesktopNotifier(bus, object.getInterface(SERVICE), options);
    } catch (error) {
      options.log?.('no notification service', { message: String(error) });
      bus.disconnect();
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  show(notification: MessageNotification): Promise<void> {
    const dialogKey = key(notification.accountId, notification.dialogId);
    const previous = this.pending.get(dialogKey) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.notify(dialogKey, notification));
    this.pending.set(dialogKey, next);
    const forget = () => {
      if (this.pending.get(dialogKey) === next) this.pending.delete(dialogKey);
    };
    next.then(forget, forget);
    return next;
  }

  private async notify(dialogKey: string, notification: MessageNotification): Promise<void> {
    const replacesId = this.shown.get(dialogKey) ?? 0;
    const id = (await this.call(
      'Notify',
      'Portaldesk',
      replacesId,
      notification.iconPath ?? 'portaldesk',
      notification.title,
      escapeMarkup(notification.body),
      [DEFAULT_ACTION, 'Open'],
      {
        'desktop-entry': new Variant('s', 'portaldesk'),
        category: new Variant('s', 'im.received'),
        ...soundHints(notification.sound ?? true),
        // The sender's photo (the spec's `image-path`, before `app_icon`, where services look first).
        ...(notification.iconPath ? { 'image-path': new Variant('s', notification.iconPath) } : {}),
      },
      -1,
    )) as number;
    this.shown.set(dialogKey, id);
    this.byId.set(id, { accountId: notification.accountId, dialogId: notification.dialogId });
  }

  async withdraw(accountId: string, dialogId: string): Promise<void> {
    const id = this.shown.get(key(accountId, dialogId));
    if (id === undefined) return;
    this.shown.delete(key(accountId, dialogId));
    this.byId.delete(id);
    await this.call('CloseNotification', id).catch(() => undefined);
  }

  private call(method: 'Notify' | 'CloseNotification', ...args: unknown[]): Promise<unknown> {
    const proxy = this.service as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    return proxy[method]!(...args);
  }

  async close(): Promise<void> {
    this.bus.disconnect();
  }
}

/**
 * The sound is the notification service's to play (Desktop Notifications spec, "hints"): a named
 * sound from the freedesktop sound theme, `message-new-instant`, or `suppress-sound` for silence.
 * So no audio library or player is needed here, and the desktop's volume and mute apply.
 */
function soundHints(sound: boolean): Record<string, Variant> {
  return sound
    ? { 'sound-name': new Variant('s', 'message-new-instant') }
    : { 'suppress-sound': new Variant('b', true) };
}

function key(accountId: string, dialogId: string): string {
  return `${accountId}\u241f${dialogId}`;
}

/** Notification servers may read the body as markup: a message's `<b>` must stay text. */
function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
