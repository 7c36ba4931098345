import type { LookupFunction } from 'node:net';
import { RealtimeSession, wsSockets } from '@portaldesk/client';
import type { RealtimeEvent } from '@portaldesk/protocol';
import { desktopLookup, type Lookup } from '../portal/desktop-http-client.ts';

/** One realtime event the server sent, as the rest of the desktop sees it (declared in protocol). */
export type PushEvent = RealtimeEvent;

export type PullState = 'connecting' | 'online' | 'offline';

export interface PullConnectionOptions {
  /** `pull.config.get` through the account's REST client. */
  loadConfig(): Promise<unknown>;
  onEvent(event: PushEvent): void;
  onState?(state: PullState): void;
  /** Called after a reconnect, once the resumed stream is open (or after a `resync`): the place to reload counters. */
  onReconnected?(): void;
  log?(message: string, fields?: Record<string, unknown>): void;
  /** The resolver; the desktop's own (`*.localhost` is loopback) by default. */
  lookup?: Lookup;
  /** Waits between attempts after a failure; the last is repeated. */
  backoffMs?: number[];
}

/**
 * One account's realtime ("push and pull") connection: the shared session (`@portaldesk/client`)
 * in JSON-RPC mode over `ws`. Every event is acknowledged (`mack:`) and its `mid` kept; a
 * reconnect passes the last `mid`, so the server replays exactly what was missed.
 */
export class PullConnection {
  private readonly session: RealtimeSession;
  state: PullState = 'connecting';

  constructor(options: PullConnectionOptions) {
    this.session = new RealtimeSession({
      loadConfig: () => options.loadConfig(),
      openSocket: wsSockets({ lookup: (options.lookup ?? desktopLookup()) as LookupFunction }),
      framing: 'json-rpc',
      onEvent: (event) => options.onEvent(event),
      onResumed: () => options.onReconnected?.(),
      // What was missed cannot be replayed: the owner reloads its state over REST.
      onResync: () => options.onReconnected?.(),
      onState: (state) => {
        if (state === 'stopped' || state === this.state) return;
        this.state = state;
        options.onState?.(state);
      },
      ...(options.log ? { log: options.log } : {}),
      ...(options.backoffMs ? { backoffMs: options.backoffMs } : {}),
    });
  }

  start(): void {
    this.session.start();
  }

  /** The last event seen: where a reconnect resumes. */
  get resumeMid(): string | undefined {
    return this.session.resumeMid ?? undefined;
  }

  /** Drops the socket and connects again at once (after sleep, or when the network came back). */
  reconnectNow(reason: string): void {
    this.session.reconnectNow(reason);
  }

  stop(): void {
    this.session.stop();
  }
}
