import { PullControlCommand } from '@portaldesk/protocol';
import type { Clock } from '../clock/clock.ts';
import { CloseCode } from './close-codes.ts';
import type { PullConnection } from './pull-connection.ts';
import type { PushEvent } from './push-event.ts';
import { SweepRounds } from './sweep-rounds.ts';

/** A ping round is spread over this many ticks of the ping interval (see sweepSlice). */
export const SWEEP_SLICES = 50;

export interface SocketKeepaliveOptions {
  /** The connections held now, and whether one is still held. */
  connections: () => PullConnection[];
  isHeld: (connection: PullConnection) => boolean;
  clock: Clock;
  /** How often idle sockets are pinged; the official client gives up after 20 s of silence. */
  pingIntervalMs: number;
  /** How long before a channel ends the client is told to fetch a new config. */
  expiryNoticeMs: number;
}

/**
 * Keeps the sockets alive and honest: pings each one about once an interval, drops those silent
 * for three intervals, warns a client whose channel is about to end and closes it when it has.
 */
export class SocketKeepalive {
  private readonly rounds: SweepRounds<PullConnection>;

  constructor(private readonly options: SocketKeepaliveOptions) {
    this.rounds = new SweepRounds(
      SWEEP_SLICES,
      options.connections,
      options.isHeld,
      (connection) => connection.lastSweptAt,
    );
  }

  /** How often {@link sweepSlice} runs so that a round takes one ping interval. */
  get sliceIntervalMs(): number {
    return this.options.pingIntervalMs / SWEEP_SLICES;
  }

  /** Pings every socket now, drops dead ones, and warns clients whose channel is about to end. */
  sweep(): void {
    const now = Date.now();
    const nowDate = this.options.clock.now();
    for (const connection of this.options.connections()) this.visit(connection, now, nowDate);
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
    for (const connection of this.rounds.next()) this.visit(connection, now, nowDate);
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
