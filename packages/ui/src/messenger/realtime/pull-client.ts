import { isServerPush } from '@portaldesk/protocol';
import { RestCallError } from '../../rest/rest-call-error.ts';
import type { RestClient } from '../../rest/rest-client.ts';
import { type PullEvent, parsePullConfig, parsePullFrame, pullSocketUrl } from './pull-frames.ts';

/** Waits before reconnecting after each failure in a row; the last one repeats. */
const RECONNECT_DELAYS_MS = [1_000, 5_000, 15_000, 45_000, 120_000];

export interface PullClientOptions {
  rest: RestClient;
  pageOrigin: string;
  /** Events the server sent; what another user's client published never comes here. */
  onEvent(event: PullEvent): void;
  /** Events were missed and cannot be replayed: reload what is shown through REST. */
  onResync(): void;
  createSocket?: (url: string) => WebSocket;
}

/**
 * Keeps one realtime connection for the signed-in page: fetches `pull.config.get`, connects,
 * resumes from the last `mid` after a drop, follows the server's control commands, and delivers
 * each event the server sent once. A portal without realtime (no `pull.config.get`) is left alone.
 */
export class PullClient {
  private socket: WebSocket | null = null;
  private lastMid: string | null = null;
  private readonly seen = new Set<string>();
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly options: PullClientOptions) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close(1000);
    this.socket = null;
  }

  private async connect(): Promise<void> {
    let config: unknown;
    try {
      config = await this.options.rest.call('pull.config.get', { CACHE: 'N' });
    } catch (error) {
      if (error instanceof RestCallError && (error.code === 'ERROR_METHOD_NOT_FOUND' || error.isUnauthorized)) return;
      return this.retry();
    }
    const parsed = parsePullConfig(config);
    const url = parsed && pullSocketUrl(parsed, this.options.pageOrigin, this.lastMid);
    if (!url || this.stopped) return;
    const socket = (this.options.createSocket ?? ((u) => new WebSocket(u)))(url);
    this.socket = socket;
    socket.onopen = () => {
      this.failures = 0;
    };
    socket.onmessage = (message) => this.receive(socket, String(message.data));
    socket.onclose = () => {
      if (this.socket === socket) this.retry();
    };
  }

  private receive(socket: WebSocket, frame: string): void {
    if (frame === 'ping') {
      socket.send('pong');
      return;
    }
    for (const event of parsePullFrame(frame)) {
      if (this.seen.has(event.mid)) continue;
      this.remember(event.mid);
      // A colleague's client can publish to this page, but never as the server: such an event is
      // no message, notification, edit, read or control command, and the page has no use for it.
      if (!isServerPush(event.moduleId, event.sender)) continue;
      if (event.moduleId === 'pull') this.control(event);
      else this.options.onEvent(event);
    }
  }

  private control(event: PullEvent): void {
    switch (event.command) {
      case 'resync':
        if (typeof event.params.mid === 'string') this.lastMid = event.params.mid;
        this.options.onResync();
        return;
      case 'channel_expire':
      case 'config_expire':
      case 'server_restart':
        this.reconnectNow();
        return;
    }
  }

  private remember(mid: string): void {
    this.lastMid = mid;
    this.seen.add(mid);
    if (this.seen.size > 1000) this.seen.delete(this.seen.values().next().value as string);
  }

  private reconnectNow(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
    if (!this.stopped) void this.connect();
  }

  private retry(): void {
    this.socket = null;
    if (this.stopped) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.failures, RECONNECT_DELAYS_MS.length - 1)]!;
    this.failures++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), delay);
  }
}
