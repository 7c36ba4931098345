import { RealtimeSession, RestCallError, type RestCaller, standardSockets } from '@portaldesk/client';
import type { PullEvent } from './pull-frames.ts';

export interface PullClientOptions {
  rest: RestCaller;
  pageOrigin: string;
  /** Events the server sent; what another user's client published never comes here. */
  onEvent(event: PullEvent): void;
  /** Events were missed and cannot be replayed: reload what is shown through REST. */
  onResync(): void;
}

/** Waits before reconnecting after each failure in a row; the last one repeats. */
const RECONNECT_DELAYS_MS = [1_000, 5_000, 15_000, 45_000, 120_000];

/**
 * The signed-in page's realtime connection: the shared session (`@portaldesk/client`) over the
 * browser's WebSocket in plain JSON mode, on the page's own host. A portal without realtime (no
 * `pull.config.get`), or a session that ended, is left alone.
 */
export class PullClient {
  private readonly session: RealtimeSession;

  constructor(options: PullClientOptions) {
    this.session = new RealtimeSession({
      loadConfig: () => options.rest.call('pull.config.get', { CACHE: 'N' }),
      openSocket: standardSockets(),
      framing: 'json',
      pageOrigin: options.pageOrigin,
      onEvent: (event) => options.onEvent(event),
      onResync: () => options.onResync(),
      givesUp: (error) =>
        error instanceof RestCallError && (error.code === 'ERROR_METHOD_NOT_FOUND' || error.isUnauthorized),
      backoffMs: RECONNECT_DELAYS_MS,
      // A hidden tab's timers may run once a minute: looking that seldom keeps it from reading as sleep.
      keepaliveMs: 30_000,
      wakeCheckMs: 60_000,
    });
  }

  start(): void {
    this.session.start();
  }

  stop(): void {
    this.session.stop();
  }
}
