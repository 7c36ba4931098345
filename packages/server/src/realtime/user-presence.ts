import type { Logger } from 'pino';
import type { EventLog } from './event-log.ts';
import type { OtherInstances, PresenceStore } from './presence-store.ts';
import type { PullConnection } from './pull-connection.ts';
import type { RealtimeBus } from './realtime-bus.ts';

export interface UserPresenceOptions {
  presence: PresenceStore;
  events: EventLog;
  bus: RealtimeBus;
  logger: Logger;
  /** Tells this process's watchers of the user that they came online or went offline. */
  notifyWatchers: (portalId: number, userId: number, online: boolean) => void;
  /** A user came online or went offline (seen by the one process where it happened). */
  onPresenceChange?: (portalId: number, userId: number) => void;
}

interface LocalCount {
  connections: number;
  desktop: number;
  /** Serialises this user's presence writes so they land in order. */
  chain: Promise<void>;
}

type Counts = Pick<LocalCount, 'connections' | 'desktop'>;

/**
 * Who is online, from this process's sockets: counts each user's sockets (and desktop ones),
 * records the counts where every process sees them, and announces a user coming online or going
 * offline (to status watchers here and on the other processes, to the status module) and a
 * desktop appearing or going (`desktopOnline` / `desktopOffline`).
 */
export class UserPresence {
  private readonly local = new Map<number, LocalCount>();
  /** Set by {@link stopRecording}: a stopping process records its users' presence once, not per socket. */
  private stopped = false;

  constructor(private readonly options: UserPresenceOptions) {}

  connected(connection: PullConnection): void {
    this.change(connection, +1);
  }

  disconnected(connection: PullConnection): void {
    this.change(connection, -1);
  }

  /**
   * Sockets closing from now on are not recorded one by one (10,000 sockets took longer than the
   * shutdown allows): the caller records the last-seen time of the connected users at once.
   */
  stopRecording(): void {
    this.stopped = true;
  }

  /** Waits for pending presence writes (clean shutdown, tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.local.values()].map((s) => s.chain));
  }

  private change(connection: PullConnection, delta: 1 | -1): void {
    if (this.stopped) return;
    const { userId, portalId } = connection;
    const state = this.local.get(userId) ?? { connections: 0, desktop: 0, chain: Promise.resolve() };
    this.local.set(userId, state);
    const before = { connections: state.connections, desktop: state.desktop };
    state.connections += delta;
    if (connection.isDesktop) state.desktop += delta;
    const after = { connections: state.connections, desktop: state.desktop };
    const current = state;
    const chain = current.chain
      .then(async () => {
        const others = await this.options.presence.setLocal(portalId, userId, after.connections, after.desktop);
        this.announceTransitions(portalId, userId, before, after, others);
      })
      .catch((error) => this.options.logger.warn({ err: error }, 'presence update failed'));
    current.chain = chain;
    void chain.then(() => {
      if (current.connections === 0 && current.chain === chain && this.local.get(userId) === current) {
        this.local.delete(userId);
      }
    });
  }

  private announceTransitions(portalId: number, userId: number, before: Counts, after: Counts, others: OtherInstances) {
    const wasOnline = before.connections > 0 || others.online;
    const isOnline = after.connections > 0 || others.online;
    if (wasOnline !== isOnline) this.announceStatus(portalId, userId, isOnline);
    const desktopWas = before.desktop > 0 || others.desktopOnline;
    const desktopIs = after.desktop > 0 || others.desktopOnline;
    if (desktopWas !== desktopIs) {
      this.options.events.pushTransient(portalId, [userId], {
        moduleId: 'im',
        command: desktopIs ? 'desktopOnline' : 'desktopOffline',
        params: desktopIs ? { version: 0 } : {},
      });
    }
  }

  private announceStatus(portalId: number, userId: number, online: boolean): void {
    this.options.bus.publish({ kind: 'presence', portalId, userId, online });
    this.options.notifyWatchers(portalId, userId, online);
    this.options.onPresenceChange?.(portalId, userId);
  }
}
