import {
  isServerPush,
  type PullConfigEssentials,
  PullConfigSchema,
  PullControlCommand,
  PullResyncCommandSchema,
  parsePushFrame,
  type RealtimeEvent,
} from '@portaldesk/protocol';
import { type PullFraming, pullSocketAddress } from './pull-socket-address.ts';
import type { OpenRealtimeSocket, RealtimeSocket } from './realtime-socket.ts';
import { DEFAULT_RECONNECT_BACKOFF_MS, DEFAULT_RECONNECT_JITTER, reconnectDelay } from './reconnect-backoff.ts';
import { type SessionClock, systemClock } from './session-clock.ts';

export type RealtimeSessionState = 'connecting' | 'online' | 'offline' | 'stopped';

export interface RealtimeSessionOptions {
  /** `pull.config.get` (with `CACHE: 'N'`) through the caller's REST client. */
  loadConfig(): Promise<unknown>;
  openSocket: OpenRealtimeSocket;
  framing: PullFraming;
  /** A page's origin (see `pullSocketAddress`); absent in the desktop and the benchmarks. */
  pageOrigin?: string;
  /** More query parameters of the socket address. */
  socketParams?: Record<string, string>;
  /** Events the server sent, each once; what another user's client published never comes here. */
  onEvent(event: RealtimeEvent): void;
  /** Events were missed and cannot be replayed (`resync`): reload what is shown through REST. */
  onResync?(): void;
  /** The connection came back after a loss, resumed from the last `mid`: the place to reload counters. */
  onResumed?(): void;
  onState?(state: RealtimeSessionState): void;
  /** A config call that fails so is not retried: the portal has no realtime, or the session is gone. */
  givesUp?(error: unknown): boolean;
  log?(message: string, fields?: Record<string, unknown>): void;
  backoffMs?: readonly number[];
  jitter?: number;
  /**
   * A socket that has said nothing for this long is pinged (the server answers `pong`; in JSON-RPC
   * mode it pings every 15 s itself, so this seldom sends anything); one silent for three times
   * this long is dropped.
   */
  keepaliveMs?: number;
  /**
   * How often the session looks at its socket; a look that comes three times later than planned
   * means the machine slept, and the socket it held is probably dead without having been told so.
   * A quarter of `keepaliveMs` by default. Pages pass more: a hidden tab's timers may run once a minute.
   */
  wakeCheckMs?: number;
  clock?: SessionClock;
}

const DEFAULT_KEEPALIVE_MS = 20_000;
/** How many `mid`s are remembered to drop a duplicate (the official client drops them too). */
const SEEN_MIDS = 1_000;

/**
 * One realtime ("push and pull") connection: fetches the config, connects, acknowledges each
 * event (`mack:` in JSON-RPC mode) and keeps its `mid`, resumes from it after a drop so the
 * server replays exactly what was missed, pings to keep the socket alive and to notice a dead
 * one (or a machine that slept), reconnects with back-off and jitter, and follows the server's
 * control commands (`channel_expire`, `config_expire`, `server_restart`, `resync`).
 */
export class RealtimeSession {
  private socket: RealtimeSocket | null = null;
  private config: PullConfigEssentials | null = null;
  private lastMid: string | null = null;
  private readonly seen = new Set<string>();
  private failures = 0;
  private everOpened = false;
  private retryTimer: unknown;
  private keepaliveTimer: unknown;
  private lastHeard = 0;
  private lastPinged = 0;
  private lastTick = 0;
  private stopped = true;
  state: RealtimeSessionState = 'stopped';

  constructor(private readonly options: RealtimeSessionOptions) {}

  private get clock(): SessionClock {
    return this.options.clock ?? systemClock;
  }

  /** The last event seen: where a reconnect resumes. */
  get resumeMid(): string | null {
    return this.lastMid;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.lastTick = this.clock.now();
    this.scheduleKeepalive();
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.retryTimer);
    this.clock.clearTimeout(this.keepaliveTimer);
    this.dropSocket();
    this.setState('stopped');
  }

  /** Drops the socket and connects again at once (after sleep, or when the network came back). */
  reconnectNow(reason: string): void {
    if (this.stopped) return;
    this.options.log?.('realtime reconnect', { reason });
    this.failures = 0;
    this.clock.clearTimeout(this.retryTimer);
    this.dropSocket();
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.setState('connecting');
    if (!this.config) {
      let loaded: unknown;
      try {
        loaded = await this.options.loadConfig();
      } catch (error) {
        if (this.stopped) return;
        this.options.log?.('realtime config failed', { code: (error as { code?: string }).code });
        if (this.options.givesUp?.(error)) return this.stop();
        return this.retryLater();
      }
      if (this.stopped) return;
      const parsed = PullConfigSchema.safeParse(loaded);
      if (!parsed.success) {
        this.options.log?.('realtime config unreadable');
        return this.retryLater();
      }
      this.config = parsed.data;
    }
    const address = pullSocketAddress(this.config, {
      framing: this.options.framing,
      lastMid: this.lastMid,
      ...(this.options.pageOrigin ? { pageOrigin: this.options.pageOrigin } : {}),
      ...(this.options.socketParams ? { extra: this.options.socketParams } : {}),
    });
    // The server named an address this client may not connect to: no realtime here.
    if (!address) return this.stop();
    const socket: RealtimeSocket = this.options.openSocket(address, {
      open: () => this.opened(socket),
      message: (text) => this.received(socket, text),
      closed: (refused) => this.closed(socket, refused),
    });
    this.socket = socket;
  }

  private opened(socket: RealtimeSocket): void {
    if (this.socket !== socket) return;
    this.failures = 0;
    this.lastHeard = this.clock.now();
    this.setState('online');
    if (this.everOpened) this.options.onResumed?.();
    this.everOpened = true;
  }

  private closed(socket: RealtimeSocket, refused: boolean): void {
    if (this.socket !== socket) return;
    this.socket = null;
    // A refused channel (expired, or the session behind it ended): fetch a new config.
    if (refused) this.config = null;
    this.retryLater();
  }

  private received(socket: RealtimeSocket, text: string): void {
    if (this.socket !== socket) return;
    this.lastHeard = this.clock.now();
    if (text === 'ping') {
      socket.send('pong');
      return;
    }
    for (const event of parsePushFrame(text)) {
      if (this.options.framing === 'json-rpc') socket.send(`mack:${event.mid}`);
      this.lastMid = event.mid;
      if (this.seen.has(event.mid)) continue;
      this.remember(event.mid);
      // A colleague's client can publish to this channel, but never as the server: such an event
      // is no message, notification, edit, read or control command, and no client here uses it.
      if (!isServerPush(event.moduleId, event.sender)) continue;
      if (event.moduleId === 'pull') this.control(event);
      else this.options.onEvent(event);
      if (this.socket !== socket) return;
    }
  }

  private control(event: RealtimeEvent): void {
    switch (event.command) {
      case PullControlCommand.channelExpire:
      case PullControlCommand.configExpire:
        this.config = null;
        this.reconnectNow(event.command);
        return;
      case PullControlCommand.serverRestart:
        // The server is going away: come back after the first wait, not at once into its shutdown.
        this.dropSocket();
        this.retryLater();
        return;
      case PullControlCommand.resync: {
        const parsed = PullResyncCommandSchema.safeParse(event.params);
        if (parsed.success) this.lastMid = parsed.data.mid;
        this.options.onResync?.();
        return;
      }
    }
  }

  private remember(mid: string): void {
    this.seen.add(mid);
    if (this.seen.size > SEEN_MIDS) this.seen.delete(this.seen.values().next().value as string);
  }

  private retryLater(): void {
    if (this.stopped) return;
    this.setState('offline');
    const wait = reconnectDelay(
      this.failures,
      this.options.backoffMs ?? DEFAULT_RECONNECT_BACKOFF_MS,
      this.options.jitter ?? DEFAULT_RECONNECT_JITTER,
      () => this.clock.random(),
    );
    this.failures += 1;
    this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = this.clock.setTimeout(() => void this.connect(), wait);
  }

  /** Looks at the socket now and then: pings a quiet one, drops a silent one, reconnects after sleep. */
  private scheduleKeepalive(): void {
    const keepalive = this.options.keepaliveMs ?? DEFAULT_KEEPALIVE_MS;
    const interval = this.options.wakeCheckMs ?? keepalive / 4;
    this.keepaliveTimer = this.clock.setTimeout(() => {
      if (this.stopped) return;
      const now = this.clock.now();
      const slept = now - this.lastTick > interval * 3;
      this.lastTick = now;
      if (slept) this.reconnectNow('woke up');
      else if (this.socket && this.state === 'online') {
        if (now - this.lastHeard > keepalive * 3) this.reconnectNow('silent socket');
        else if (now - Math.max(this.lastHeard, this.lastPinged) >= keepalive) {
          this.lastPinged = now;
          this.socket.send('ping');
        }
      }
      this.scheduleKeepalive();
    }, interval);
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.close();
  }

  private setState(state: RealtimeSessionState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onState?.(state);
  }
}
