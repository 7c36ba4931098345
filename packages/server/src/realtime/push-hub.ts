import { PullControlCommand, type UserStatusChangeParams } from '@portaldesk/protocol';
import { CloseCode } from './close-codes.ts';
import type { Delivery, EventLog } from './event-log.ts';
import type { PullConnection } from './pull-connection.ts';
import type { PushEvent } from './push-event.ts';
import type { BusMessage, RealtimeBus } from './realtime-bus.ts';
import type { UserPresence } from './user-presence.ts';

export interface PushHubOptions {
  events: EventLog;
  bus: RealtimeBus;
  /** Told of every socket added and removed. */
  presence: Pick<UserPresence, 'connected' | 'disconnected' | 'stopRecording'>;
  /** Each user's last event number in the log. */
  latestSeqs: (userIds: readonly number[]) => Promise<{ userId: number; seq: number }[]>;
}

/**
 * The connections held by this process, indexed by user, and the routing of every delivery to
 * them: deliveries made here go out to the other processes over the bus, and deliveries from
 * the bus come in through the event log like local ones, marked as coming from the bus.
 * (Presence is {@link UserPresence}'s, keepalive `SocketKeepalive`'s.)
 */
export class PushHub {
  private readonly byUser = new Map<number, Set<PullConnection>>();
  private readonly statusWatchers = new Map<number, Set<PullConnection>>();

  constructor(private readonly options: PushHubOptions) {
    const { events, bus } = options;
    events.onDelivery((delivery, origin) => {
      if (origin === 'this process') bus.publish(forBus(delivery));
      this.deliver(delivery);
    });
    bus.onMessage((message) => {
      switch (message.kind) {
        case 'delivery':
          events.deliver(message.delivery, 'bus');
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

  /** Every connection held now. */
  connections(): PullConnection[] {
    return [...this.byUser.values()].flatMap((set) => [...set]);
  }

  holds(connection: PullConnection): boolean {
    return this.byUser.get(connection.userId)?.has(connection) ?? false;
  }

  add(connection: PullConnection): void {
    const set = this.byUser.get(connection.userId) ?? new Set();
    this.byUser.set(connection.userId, set);
    set.add(connection);
    this.options.presence.connected(connection);
  }

  remove(connection: PullConnection): void {
    connection.markClosed();
    const set = this.byUser.get(connection.userId);
    if (!set?.delete(connection)) return;
    if (set.size === 0) this.byUser.delete(connection.userId);
    for (const userId of connection.statusSubscriptions) this.unwatchStatus(connection, userId);
    this.options.presence.disconnected(connection);
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

  /** Tells this process's watchers of the user that they came online or went offline. */
  notifyStatus(portalId: number, userId: number, online: boolean): void {
    const params: UserStatusChangeParams = { user_id: userId, online };
    const event: PushEvent = { moduleId: 'online', command: 'userStatusChange', params: { ...params } };
    for (const connection of this.statusWatchers.get(userId) ?? []) {
      if (connection.portalId === portalId) connection.sendUnstored(event);
    }
  }

  /**
   * Tells every client the server is going away, then closes the sockets. Presence is not written
   * per socket on the way out (10,000 sockets took longer than the shutdown allows): the caller
   * records the last-seen time of {@link connectedUserIds} and drops this process's rows at once.
   */
  closeAll(): void {
    this.options.presence.stopRecording();
    const all = this.connections();
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
