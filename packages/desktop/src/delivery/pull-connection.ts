import {
  isServerPush,
  PULL_REVISION_WEB,
  type PullConfigEssentials,
  PullConfigSchema,
  parsePushFrame,
  pullChannelIds,
  type RealtimeEvent,
} from '@portaldesk/protocol';
import WebSocket from 'ws';
import { desktopLookup, type Lookup } from '../portal/desktop-http-client.ts';

/** One realtime event the server sent, as the rest of the desktop sees it (declared in protocol). */
export type PushEvent = RealtimeEvent;

export type PullState = 'connecting' | 'online' | 'offline';

export interface PullConnectionOptions {
  /** `pull.config.get` through the account's REST client. */
  loadConfig(): Promise<unknown>;
  onEvent(event: PushEvent): void;
  onState?(state: PullState): void;
  /** Called after a reconnect, once the resumed stream is open: the place to reload counters. */
  onReconnected?(): void;
  log?(message: string, fields?: Record<string, unknown>): void;
  /** The resolver; the desktop's own (`*.localhost` is loopback) by default. */
  lookup?: Lookup;
  /** Waits between attempts after a failure; the last is repeated. */
  backoffMs?: number[];
}

/**
 * Backoff after a lost connection. The official client waits 100 ms, 15 s, 45 s, 10 min, 1 h; a
 * desktop that comes back from sleep or a network change should catch up sooner, so the waits
 * grow more slowly and stop at a minute.
 */
const DEFAULT_BACKOFF_MS = [100, 1_000, 3_000, 10_000, 30_000, 60_000];
/** A wall-clock jump this much larger than a timer's interval means the machine slept. */
const SLEEP_CHECK_MS = 5_000;

/**
 * One account's realtime ("push and pull") connection: `pull.config.get`, then a WebSocket in
 * JSON-RPC mode with `revision=19`. Every event is acknowledged (`mack:`) and its `mid` kept; a
 * reconnect passes the last `mid`, so the server replays exactly what was missed.
 */
export class PullConnection {
  private socket: WebSocket | undefined;
  private config: PullConfigEssentials | undefined;
  private lastMid: string | undefined;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly sleepTimer: NodeJS.Timeout;
  private lastTick = Date.now();
  private stopped = false;
  private everOpened = false;
  state: PullState = 'connecting';

  constructor(private readonly options: PullConnectionOptions) {
    // Timers do not run while the machine sleeps: a late tick says it woke up, and the socket it
    // held is probably dead without having been told so.
    this.sleepTimer = setInterval(() => {
      const now = Date.now();
      if (now - this.lastTick > SLEEP_CHECK_MS * 3) this.reconnectNow('woke up');
      this.lastTick = now;
    }, SLEEP_CHECK_MS);
    this.sleepTimer.unref();
  }

  start(): void {
    void this.connect();
  }

  /** The last event seen: where a reconnect resumes. */
  get resumeMid(): string | undefined {
    return this.lastMid;
  }

  /** Drops the socket and connects again at once (after sleep, or when the network came back). */
  reconnectNow(reason: string): void {
    if (this.stopped) return;
    this.options.log?.('realtime reconnect', { reason });
    this.failures = 0;
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = undefined;
    socket?.removeAllListeners();
    socket?.on('error', () => undefined);
    socket?.terminate();
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.sleepTimer);
    this.socket?.removeAllListeners();
    this.socket?.on('error', () => undefined);
    this.socket?.terminate();
    this.socket = undefined;
  }

  private setState(state: PullState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onState?.(state);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.setState('connecting');
    try {
      this.config ??= PullConfigSchema.parse(await this.options.loadConfig());
    } catch (error) {
      this.options.log?.('realtime config failed', { code: (error as { code?: string }).code });
      this.retryLater();
      return;
    }
    if (this.stopped) return;
    const socket = new WebSocket(this.socketUrl(this.config), {
      lookup: this.options.lookup ?? desktopLookup(),
      handshakeTimeout: 15_000,
    });
    this.socket = socket;
    socket.on('open', () => {
      if (this.socket !== socket) return;
      this.failures = 0;
      this.setState('online');
      if (this.everOpened) this.options.onReconnected?.();
      this.everOpened = true;
    });
    socket.on('message', (data) => this.onFrame(socket, data.toString()));
    socket.on('unexpected-response', (_request, response) => {
      // A refused channel (expired, or the session behind it ended): fetch a new config.
      if (response.statusCode === 401 || response.statusCode === 403 || response.statusCode === 404) {
        this.config = undefined;
      }
      socket.terminate();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.retryLater();
    });
  }

  private socketUrl(config: PullConfigEssentials): string {
    const base = config.server.websocket_secure || config.server.websocket;
    const url = new URL(base);
    url.searchParams.set('CHANNEL_ID', pullChannelIds(config));
    url.searchParams.set('revision', String(PULL_REVISION_WEB));
    url.searchParams.set('jsonRpc', 'true');
    if (this.lastMid) url.searchParams.set('mid', this.lastMid);
    return url.href;
  }

  private retryLater(): void {
    if (this.stopped) return;
    this.setState('offline');
    const schedule = this.options.backoffMs ?? DEFAULT_BACKOFF_MS;
    const wait = schedule[Math.min(this.failures, schedule.length - 1)] ?? 1_000;
    this.failures += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), wait);
  }

  private onFrame(socket: WebSocket, text: string): void {
    if (text === 'ping') {
      socket.send('pong');
      return;
    }
    for (const event of parsePushFrame(text)) {
      socket.send(`mack:${event.mid}`);
      this.lastMid = event.mid;
      // What a colleague's client published is never a message, notification, read or control
      // command, whatever it says; the desktop has no use for client events.
      if (!isServerPush(event.moduleId, event.sender)) continue;
      this.onPush(event);
    }
  }

  private onPush(event: PushEvent): void {
    if (event.moduleId === 'pull') {
      switch (event.command) {
        case 'channel_expire':
        case 'config_expire':
          this.config = undefined;
          this.reconnectNow(event.command);
          return;
        case 'server_restart':
          this.socket?.close();
          return;
        case 'resync':
          if (typeof event.params.mid === 'string') this.lastMid = event.params.mid;
          // What was missed cannot be replayed: the owner reloads its state over REST.
          this.options.onReconnected?.();
          return;
      }
      return;
    }
    this.options.onEvent(event);
  }
}
