import { PullControlCommand, type UserStatusChangeParams } from '@portaldesk/protocol';
import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.ts';
import type { Delivery, EventLog } from './event-log.ts';
import type { OtherInstances, PresenceStore } from './presence-store.ts';
import type { PullConnection } from './pull-connection.ts';
import type { PushEvent } from './push-event.ts';
import type { BusMessage, RealtimeBus } from './realtime-bus.ts';
import { SweepRounds } from './sweep-rounds.ts';

/** A ping round is spread over this many ticks of the ping interval (see sweepSlice). */
export const SWEEP_SLICES = 50;

/** Close codes the official client understands. */
export const CloseCode = {
  serverGoingAway: 1001,
  /** The client reloads its config; with a revoked credential that fails and it stops. */
  wrongChannel: 4010,
  channelExpired: 3001,
  tryAgainLater: 1013,
} as const;

export interface PushHubOptions {
  events: EventLog;
  bus: RealtimeBus;
  presence: PresenceStore;
  /** Each user's last event number in the log. */
  latestSeqs: (userIds: readonly number[]) => Promise<{ userId: number; seq: number }[]>;
  clock: Clock;
  logger: Logger;
  /** How often idle sockets are pinged; the official client gives up after 20 s of silence. */
  pingIntervalMs: number;
  /** How long before a channel ends the client is told to fetch a new config. */
  expiryNoticeMs: number;
  /** A user came online or went offline (seen by the one process where it happened). */
  onPresenceChange?: (portalId: number, userId: number) => void;
}

interface LocalPresence {
  connections: number;
  desktop: number;
  /** Serialises this user's presence writes so they land in order. */
  chain: Promise<void>;
}

/**
 * The connections held by this process, indexed by user, and the routing of every delivery to
 * them: deliveries made here go out to the other processes over the bus, and deliveries from
 * the bus come in through the event log like local ones.
 */
export class PushHub {
  private readonly byUser = new Map<number, Set<PullConnection>>();
  private readonly statusWatchers = new Map<number, Set<PullConnection>>();
  private readonly local = new Map<number, LocalPresence>();
  private fromBus = false;
  /** Set by {@link closeAll}: a stopping process records its users' presence once, not per socket. */
  private closing = false;
  private readonly sweepRounds = new SweepRounds(
    SWEEP_SLICES,
    () => [...this.byUser.values()].flatMap((set) => [...set]),
    (connection) => this.byUser.get(connection.userId)?.has(connection) ?? false,
    (connection) => connection.lastSweptAt,
  );

  constructor(private readonly options: PushHubOptions) {
    const { events, bus } = options;
    events.onDelivery((delivery) => {
      if (!this.fromBus) bus.publish(forBus(delivery));
      this.deliver(delivery);
    });
    bus.onMessage((message) => {
      switch (message.kind) {
        case 'delivery':
          this.fromBus = true;
          try {
            events.deliver(message.delivery);
          } finally {
            this.fromBus = false;
          }
          return;
        case 'announced':
          for (const { userId, seq } of message.entries) {
            for (const connection of this.byUser.get(userId) ?? []) {
              if (connection.portalId === message.portalId) connection.noteLatest(seq);
            }
          }
          return;
        case 'presence':
          this.notifyStatus(message.portalId, message.userId, message.online);
          return;
        case 'revoke':
          this.closeCredential(message.credentialRef);
          return;
        default:
          return;
      }
    });
  }

  get connectionCount(): number {
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
    return n;
  }

  socketsOf(userId: number): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  connectedUserIds(): number[] {
    return [...this.byUser.keys()];
  }

  add(connection: PullConnection): void {
    const set = this.byUser.get(connection.userId) ?? new Set();
    this.byUser.set(connection.userId, set);
    set.add(connection);
    this.changePresence(connection, +1);
  }

  remove(connection: PullConnection): void {
    connection.markClosed();
    const set = this.byUser.get(connection.userId);
    if (!set?.delete(connection)) return;
    if (set.size === 0) this.byUser.delete(connection.userId);
    for (const userId of connection.statusSubscriptions) this.unwatchStatus(connection, userId);
    this.changePresence(connection, -1);
  }

  watchStatus(connection: PullConnection, userId: number): void {
    const set = this.statusWatchers.get(userId) ?? new Set();
    this.statusWatchers.set(userId, set);
    set.add(connection);
    connection.statusSubscriptions.add(userId);
  }

  unwatchStatus(connection: PullConnection, userId: number): void {
    const set = this.statusWatchers.get(userId);
    set?.delete(connection);
    if (set?.size === 0) this.statusWatchers.delete(userId);
    connection.statusSubscriptions.delete(userId);
  }

  /** Closes this process's sockets of a revoked credential, and tells the other processes to. */
  revoke(credentialRef: string): void {
    this.options.bus.publish({ kind: 'revoke', credentialRef });
    this.closeCredential(credentialRef);
  }

  /** Closes this process's sockets opened with the credential. */
  closeCredential(credentialRef: string): void {
    for (const set of this.byUser.values()) {
      for (const connection of set) {
        if (connection.grant.credentialRef === credentialRef) connection.close(CloseCode.wrongChannel, 'revoked');
      }
    }
  }

  private deliver(delivery: Delivery): void {
    if (delivery.kind === 'recorded') {
      const { portalId, entries } = delivery.recorded;
      for (const entry of entries) {
        for (const connection of this.byUser.get(entry.userId) ?? []) {
          if (connection.portalId === portalId) connection.offerStored(entry.seq, entry.event);
        }
      }
      return;
    }
    for (const userId of delivery.userIds) {
      for (const connection of this.byUser.get(userId) ?? []) {
        if (connection.portalId === delivery.portalId) connection.sendUnstored(delivery.event);
      }
    }
  }

  private notifyStatus(portalId: number, userId: number, online: boolean): void {
    const params: UserStatusChangeParams = { user_id: userId, online };
    const event: PushEvent = { moduleId: 'online', command: 'userStatusChange', params: { ...params } };
    for (const connection of this.statusWatchers.get(userId) ?? []) {
      if (connection.portalId === portalId) connection.sendUnstored(event);
    }
  }

  private changePresence(connection: PullConnection, delta: 1 | -1): void {
    if (this.closing) return;
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

  private announceTransitions(
    portalId: number,
    userId: number,
    before: { connections: number; desktop: number },
    after: { connections: number; desktop: number },
    others: OtherInstances,
  ): void {
    const wasOnline = before.connections > 0 || others.online;
    const isOnline = after.connections > 0 || others.online;
    if (wasOnline !== isOnline) this.publishStatus(portalId, userId, isOnline);
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

  private publishStatus(portalId: number, userId: number, online: boolean): void {
    this.options.bus.publish({ kind: 'presence', portalId, userId, online });
    this.notifyStatus(portalId, userId, online);
    this.options.onPresenceChange?.(portalId, userId);
  }

  /** Pings every socket now, drops dead ones, and warns clients whose channel is about to end. */
  sweep(): void {
    const now = Date.now();
    const nowDate = this.options.clock.now();
    for (const set of this.byUser.values()) for (const connection of set) this.visit(connection, now, nowDate);
  }

  /**
   * Visits the next share of the connections: called `SWEEP_SLICES` times per ping interval, so a
   * round pings each socket once, about one interval after its last ping. A loopback socket write
   * costs tens of microseconds here, so pinging 10,000 sockets at once would hold every delivery
   * up for half a second.
   */
  sweepSlice(): void {
    const now = Date.now();
    const nowDate = this.options.clock.now();
    for (const connection of this.sweepRounds.next()) this.visit(connection, now, nowDate);
  }

  private visit(connection: PullConnection, now: number, nowDate: Date): void {
    connection.lastSweptAt = now;
    if (now - connection.lastHeardAt > this.options.pingIntervalMs * 3) {
      connection.socket.terminate();
      return;
    }
    const left = connection.grant.endsAt.getTime() - nowDate.getTime();
    if (left <= 0) {
      connection.close(CloseCode.channelExpired, 'channel expired');
      return;
    }
    if (left <= this.options.expiryNoticeMs && !connection.expiryAnnounced) {
      connection.expiryAnnounced = true;
      connection.sendUnstored(channelExpireEvent(connection));
    }
    if (connection.format === 'json-rpc') connection.sendRaw('ping');
    else connection.socket.ping();
  }

  /**
   * Tells every client the server is going away, then closes the sockets. Presence is not written
   * per socket on the way out (10,000 sockets took longer than the shutdown allows): the caller
   * records the last-seen time of {@link connectedUserIds} and drops this process's rows at once.
   */
  closeAll(): void {
    this.closing = true;
    const all = [...this.byUser.values()].flatMap((set) => [...set]);
    for (const connection of all) {
      connection.sendUnstored({ moduleId: 'pull', command: PullControlCommand.serverRestart, params: {} });
      connection.close(CloseCode.serverGoingAway, 'server restart');
      // A client that does not answer the close handshake must not hold the shutdown up.
      setTimeout(() => connection.socket.terminate(), 500).unref();
      this.remove(connection);
    }
  }

  /**
   * Sends what connected users have in the log but never heard announced (a bus message lost
   * while Redis was unreachable, a process killed between commit and announce).
   */
  async catchUp(): Promise<void> {
    const userIds = this.connectedUserIds();
    if (userIds.length === 0) return;
    for (const { userId, seq } of await this.options.latestSeqs(userIds)) {
      for (const connection of this.byUser.get(userId) ?? []) connection.noteLatest(seq);
    }
  }

  /** Waits for pending presence writes (clean shutdown, tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.local.values()].map((s) => s.chain));
  }
}

/** Above this many recipients, a delivery crosses the bus as numbers only (a big chat's events are large). */
const FULL_DELIVERY_MAX_RECIPIENTS = 50;

function forBus(delivery: Delivery): BusMessage {
  if (delivery.kind === 'recorded' && delivery.recorded.entries.length > FULL_DELIVERY_MAX_RECIPIENTS) {
    const { portalId, entries } = delivery.recorded;
    return { kind: 'announced', portalId, entries: entries.map(({ userId, seq }) => ({ userId, seq })) };
  }
  return { kind: 'delivery', delivery };
}

function channelExpireEvent(connection: PullConnection): PushEvent {
  return {
    moduleId: 'pull',
    command: PullControlCommand.channelExpire,
    params: {
      action: 'get_config',
      channel: { id: connection.grant.privateChannel.key, type: 'private' },
    },
  };
}
