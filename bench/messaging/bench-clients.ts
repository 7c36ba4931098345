import type { LookupFunction } from 'node:net';
import { type FetchLike, RealtimeSession, RestCallError, RestClient, wsSockets } from '@portaldesk/client';
import { type PullConfig, type RealtimeEvent, SESSION_COOKIE } from '@portaldesk/protocol';
import { type ChildSession, localhostLookup } from '@portaldesk/server/testing';
import { Agent, request } from 'undici';

/**
 * The benchmark's clients are the product's own (`@portaldesk/client`): senders call REST as a
 * signed-in client does, receivers hold the same realtime session as the desktop (JSON-RPC, `mack:`).
 */

/**
 * Senders share a bounded pool of HTTP connections, as clients behind a proxy would: past the
 * sustainable rate, requests queue instead of opening thousands of sockets (which ran this
 * process out of file descriptors before the idle-connection figure).
 */
const senderPool = new Agent({ connections: 256, connect: { lookup: localhostLookup } });

/**
 * The REST client's transport: undici's `request`, which costs this process about half the CPU
 * of `fetch` (no WHATWG streams), so more of the machine is left to the server being measured.
 */
const pooledFetch: FetchLike = async (url, init) => {
  const res = await request(url, {
    dispatcher: senderPool,
    method: init.method as 'POST',
    headers: init.headers,
    body: init.body,
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    headers: { get: (name) => String(res.headers[name.toLowerCase()] ?? '') || null },
    text: async () => text,
  };
};

/** No retries: a send the server refuses or drops counts as not delivered, as it did before. */
const NO_RETRIES = { maxAttempts: 1, errorDelayMs: 0, rateLimitDelayMs: 0, operatingLimitDelayMs: 0, maxWaitMs: 0 };

/** Each sender's REST client, with its session (cookie + sessid). */
export class BenchSenders {
  private readonly clients: RestClient[];

  constructor(port: number, sessions: readonly ChildSession[]) {
    this.clients = sessions.map(
      (session) =>
        new RestClient({
          fetch: pooledFetch,
          baseUrl: `http://bench.localhost:${port}`,
          authentication: {
            kind: 'session',
            sessid: () => session.sessid,
            cookie: () => `${SESSION_COOKIE}=${session.token}`,
          },
          retry: NO_RETRIES,
          timeoutMs: 0,
        }),
    );
  }

  /** `im.message.add` from the sender of that index; answers the HTTP status. */
  async send(fromIndex: number, to: number, text: string): Promise<number> {
    try {
      await this.clients[fromIndex]?.call('im.message.add', { DIALOG_ID: to, MESSAGE: text });
      return 200;
    } catch (error) {
      return error instanceof RestCallError ? error.status : 0;
    }
  }
}

/**
 * One user's realtime session on the server at `port`, open once it resolves; null when it could
 * not connect. The clients' own keepalive is off: the idle figure measures the server's pings.
 */
export function openRealtimeClient(
  config: PullConfig,
  port: number,
  onEvent: ((event: RealtimeEvent) => void) | null,
): Promise<RealtimeSession | null> {
  const websocket = config.server.websocket.replace(/:\d+\//, `:${port}/`);
  return new Promise((resolve) => {
    const session = new RealtimeSession({
      loadConfig: async () => ({ ...config, server: { ...config.server, websocket, websocket_secure: '' } }),
      openSocket: wsSockets({ lookup: localhostLookup as LookupFunction, perMessageDeflate: false }),
      framing: 'json-rpc',
      onEvent: onEvent ?? (() => undefined),
      onState: (state) => {
        if (state === 'online') resolve(session);
        if (state === 'offline') {
          session.stop();
          resolve(null);
        }
      },
      keepaliveMs: 3_600_000,
    });
    session.start();
  });
}

/** Opens `count` sessions 200 at a time, user by user; those that fail are left out. */
export async function openRealtimeClients(
  count: number,
  users: readonly { config: PullConfig; userId: number }[],
  port: number,
  onEvent: ((userId: number, event: RealtimeEvent) => void) | null,
): Promise<RealtimeSession[]> {
  const sessions: RealtimeSession[] = [];
  for (let i = 0; i < count; i += 200) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 200); j++) {
      const user = users[j % users.length]!;
      batch.push(openRealtimeClient(user.config, port, onEvent && ((event) => onEvent(user.userId, event))));
    }
    for (const session of await Promise.all(batch)) if (session) sessions.push(session);
  }
  return sessions;
}
