import { type MessageBus, sessionBus, type Variant } from '@jellybrick/dbus-next';
import { ConfiguredInterface } from '../dbus/configured-interface.ts';

/** One `Notify` call as the notification service received it. */
export interface ReceivedNotification {
  /** The id the service answered with. */
  id: number;
  replacesId: number;
  appName: string;
  summary: string;
  body: string;
  actions: string[];
  hints: Record<string, unknown>;
  /** `performance.now()` when the service got the call (the bench measures latency with it). */
  receivedAt: number;
}

/**
 * A notification service that records what it is asked to show: the real
 * `org.freedesktop.Notifications` interface, registered under its well-known name on a test's
 * private session bus, so the app under test talks D-Bus to it as it would to a desktop's.
 */
class NotificationsInterface extends ConfiguredInterface {
  readonly received: ReceivedNotification[] = [];
  readonly closed: number[] = [];
  private nextId = 1;

  constructor() {
    super('org.freedesktop.Notifications');
  }

  Notify(
    appName: string,
    replacesId: number,
    _icon: string,
    summary: string,
    body: string,
    actions: string[],
    hints: Record<string, Variant>,
    _timeout: number,
  ): number {
    const id = replacesId > 0 ? replacesId : this.nextId++;
    const plainHints = Object.fromEntries(Object.entries(hints).map(([k, v]) => [k, v.value]));
    this.received.push({
      id,
      replacesId,
      appName,
      summary,
      body,
      actions,
      hints: plainHints,
      receivedAt: performance.now(),
    });
    return id;
  }

  CloseNotification(id: number): void {
    this.closed.push(id);
    this.NotificationClosed(id, 3);
  }

  GetCapabilities(): string[] {
    return ['actions', 'body', 'persistence'];
  }

  GetServerInformation(): string[] {
    return ['recording-notifications', 'portaldesk-tests', '1.0', '1.2'];
  }

  ActionInvoked(id: number, actionKey: string): [number, string] {
    return [id, actionKey];
  }

  NotificationClosed(id: number, reason: number): [number, number] {
    return [id, reason];
  }
}

NotificationsInterface.configureMembers({
  methods: {
    Notify: { inSignature: 'susssasa{sv}i', outSignature: 'u' },
    CloseNotification: { inSignature: 'u', outSignature: '' },
    GetCapabilities: { inSignature: '', outSignature: 'as' },
    GetServerInformation: { inSignature: '', outSignature: 'ssss' },
  },
  signals: {
    ActionInvoked: { signature: 'us' },
    NotificationClosed: { signature: 'uu' },
  },
});

export interface RecordingNotificationService {
  readonly received: ReceivedNotification[];
  /** The ids the app withdrew (`CloseNotification`). */
  readonly closed: number[];
  /** What a click on notification `id` sends: the `default` action. */
  click(id: number): void;
  waitFor(predicate: (received: ReceivedNotification[]) => boolean, ms?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRecordingNotificationService(busAddress: string): Promise<RecordingNotificationService> {
  const bus: MessageBus = sessionBus({ busAddress });
  await bus.requestName('org.freedesktop.Notifications', 0);
  const service = new NotificationsInterface();
  bus.export('/org/freedesktop/Notifications', service);
  return {
    received: service.received,
    closed: service.closed,
    click: (id) => service.ActionInvoked(id, 'default'),
    waitFor: async (predicate, ms = 15_000) => {
      const deadline = Date.now() + ms;
      while (!predicate(service.received)) {
        if (Date.now() > deadline) {
          throw new Error(`notification not received; got ${JSON.stringify(service.received, null, 1)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: async () => {
      bus.disconnect();
    },
  };
}
