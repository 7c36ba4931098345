import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { PULL_REVISION_MOBILE, PULL_REVISION_WEB, PULL_SERVER_VERSION, type PullConfig } from '@portaldesk/protocol';
import type { Logger } from 'pino';
import type { WebSocketServer } from 'ws';
import type { SessionRevocation, SessionRevocations } from '../auth/sessions/session-revocations.ts';
import type { Clock } from '../clock/clock.ts';
import { runEvery } from '../clock/run-every.ts';
import type { PortalResolver } from '../portals/portal-resolver.ts';
import type { AuthContext } from '../rest/auth-context.ts';
import type { LeakyBucketLimiter } from '../rest/rate-limit/leaky-bucket.ts';
import type { Database } from '../storage/database.ts';
import { ClientPublishing } from './client-publishing.ts';
import type { EventLog } from './event-log.ts';
import { latestSeqs } from './latest-seqs.ts';
import { PresenceStore } from './presence-store.ts';
import { credentialRef, type IssuedChannel, PullChannels } from './pull-channels.ts';
import { PullRpc } from './pull-rpc.ts';
import { attachPullWebSocket, PULL_WEBSOCKET_PATH } from './pull-websocket.ts';
import { atom } from './push-frames.ts';
import { PushHub } from './push-hub.ts';
import { LocalBus, type RealtimeBus, RedisBus } from './realtime-bus.ts';
import { loadRealtimeSecret } from './realtime-secret.ts';
import { SocketKeepalive } from './socket-keepalive.ts';
import { UserPresence } from './user-presence.ts';

export interface RealtimeOptions {
  db: Database;
  clock: Clock;
  logger: Logger;
  events: EventLog;
  portalResolver: PortalResolver;
  /** How fast one user's clients may publish (JSON-RPC `publish`), per portal and user. */
  publishLimiter: LeakyBucketLimiter;
  /** Ended sessions: their sockets close at once, on every process. */
  sessionRevocations?: SessionRevocations;
  /** With it, deliveries, presence and revocations cross between server processes. */
  redisUrl?: string | undefined;
  redisNamespace?: string | undefined;
  pingIntervalMs?: number;
  /** Stored events older than this are pruned; a client away longer must resync. */
  eventRetentionMs?: number;
  /** A user came online or went offline: the people who can see them are told (status module). */
  onPresenceChange?: (portalId: number, userId: number) => void;
}

const PRESENCE_TTL_MS = 60_000;
const PRESENCE_HEARTBEAT_MS = 20_000;
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;
/** How long an event whose announcement was lost can stay undelivered to a connected client. */
const CATCH_UP_INTERVAL_MS = 30_000;
const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Realtime push for every portal this process serves: channel configs for `pull.config.get`,
 * the WebSocket endpoint, delivery of the event log to sockets, presence, and the bus to the
 * other processes.
 */
export class Realtime {
  readonly instanceId = randomBytes(8).toString('hex');
  readonly bus: RealtimeBus;
  readonly presence: PresenceStore;
  readonly hub: PushHub;
  /** Who is online, from this process's sockets. */
  readonly userPresence: UserPresence;
  readonly keepalive: SocketKeepalive;
  private readonly rpc: PullRpc;
  private secretPromise: Promise<{ channels: PullChannels; configTimestamp: number }> | null = null;
  private endpoint: { origin: (domain: string) => string; wss: WebSocketServer } | null = null;
  private readonly stopUpkeep: (() => void)[] = [];

  constructor(private readonly options: RealtimeOptions) {
    const { db, clock, logger, events } = options;
    this.bus = options.redisUrl ? new RedisBus(options.redisUrl, logger, options.redisNamespace) : new LocalBus();
    this.presence = new PresenceStore(db, clock, this.instanceId, PRESENCE_TTL_MS);
    this.userPresence = new UserPresence({
      presence: this.presence,
      events,
      bus: this.bus,
      logger,
      notifyWatchers: (portalId, userId, online) => this.hub.notifyStatus(portalId, userId, online),
      ...(options.onPresenceChange ? { onPresenceChange: options.onPresenceChange } : {}),
    });
    this.hub = new PushHub({
      events,
      bus: this.bus,
      presence: this.userPresence,
      latestSeqs: (userIds) => latestSeqs(db, userIds),
    });
    this.keepalive = new SocketKeepalive({
      connections: () => this.hub.connections(),
      isHeld: (connection) => this.hub.holds(connection),
      clock,
      pingIntervalMs: options.pingIntervalMs ?? 15_000,
      expiryNoticeMs: 5 * 60 * 1000,
    });
    const publishing = new ClientPublishing({ db, events, limiter: options.publishLimiter });
    this.rpc = new PullRpc({ db, publishing, hub: this.hub, presence: this.presence, now: () => clock.now() });
    const revocations = options.sessionRevocations;
    if (revocations) {
      revocations.subscribe((revocation, origin) => this.sessionEnded(revocation, origin === 'local'));
      this.bus.onMessage((message) => {
        if (message.kind === 'session-revoked') revocations.deliverRemote(message.revocation);
      });
    }
  }

  /**
   * A session ended: its sockets here close now. Where it ended, its channels are deleted and the
   * other processes are told (they close their sockets when the revocation comes back in).
   */
  private async sessionEnded(revocation: SessionRevocation, here: boolean): Promise<void> {
    this.hub.closeCredential(credentialRef(revocation.sessionId));
    if (!here) return;
    this.bus.publish({ kind: 'session-revoked', revocation });
    try {
      await (await this.channels()).revokeCredential(revocation.sessionId);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'revoking realtime channels failed');
    }
  }

  /** Waits until the bus is connected (so nothing published right after start is missed). */
  async ready(): Promise<void> {
    if (this.bus instanceof RedisBus) await this.bus.ready;
  }

  channels(): Promise<PullChannels> {
    return this.secrets().then((s) => s.channels);
  }

  private secrets(): Promise<{ channels: PullChannels; configTimestamp: number }> {
    this.secretPromise ??= loadRealtimeSecret(this.options.db).then(({ secret, createdAt }) => ({
      channels: new PullChannels(this.options.db, this.options.clock, secret),
      configTimestamp: Math.floor(createdAt.getTime() / 1000),
    }));
    return this.secretPromise;
  }

  /** The answer of `pull.config.get` (`private`) or `pull.application.config.get` (`application`). */
  async config(auth: AuthContext, kind: 'private' | 'application'): Promise<PullConfig> {
    const { channels, configTimestamp } = await this.secrets();
    const pair = await channels.issue(auth.portal.id, auth.userId, auth.credentialId, kind);
    const url = `${this.origin(auth.portal.domain)}${PULL_WEBSOCKET_PATH}`;
    const http = url.replace(/^ws/, 'http');
    const exp = Math.floor(Math.min(pair.private.endsAt.getTime(), pair.shared.endsAt.getTime()) / 1000);
    return {
      server: {
        version: PULL_SERVER_VERSION,
        server_enabled: true,
        mode: 'personal',
        hostname: auth.portal.domain,
        websocket_enabled: true,
        websocket: url,
        websocket_secure: url,
        long_polling: http,
        long_pooling_secure: http,
        publish_enabled: false,
        publish: '',
        publish_secure: '',
        config_timestamp: configTimestamp,
      },
      api: { revision_web: PULL_REVISION_WEB, revision_mobile: PULL_REVISION_MOBILE },
      channels: {
        private: this.describe(channels, pair.private, true),
        shared: this.describe(channels, pair.shared, false),
      },
      publicChannels: {
        [auth.userId]: {
          user_id: auth.userId,
          public_id: pair.private.key,
          signature: channels.publicSignature(pair.private),
          start: atom(pair.private.startsAt),
          end: atom(pair.private.endsAt),
        },
      },
      clientId: null,
      jwt: await channels.token(pair),
      exp,
      serverTime: atom(this.options.clock.now()),
    };
  }

  private describe(channels: PullChannels, channel: IssuedChannel, withPublic: boolean) {
    return {
      id: channels.channelId(channel),
      ...(withPublic ? { public_id: `${channel.key}.${channels.publicSignature(channel)}` } : {}),
      start: atom(channel.startsAt),
      end: atom(channel.endsAt),
      type: channel.kind === 'shared' ? ('shared' as const) : ('private' as const),
    };
  }

  private origin(domain: string): string {
    if (!this.endpoint) throw new Error('realtime endpoint is not attached to a server');
    return this.endpoint.origin(domain);
  }

  /** Serves the WebSocket endpoint on the server (its periodic work starts with {@link start}). */
  attach(server: Server, listening: { tls: boolean; port: () => number }): void {
    const { logger, clock, events, portalResolver } = this.options;
    const wss = attachPullWebSocket(server, {
      portalResolver,
      channels: () => this.channels(),
      events,
      hub: this.hub,
      rpc: this.rpc,
      clock,
      logger,
      serverName: `portaldesk-${this.instanceId}`,
    });
    this.endpoint = {
      wss,
      origin: (domain) => {
        const port = listening.port();
        const standard = listening.tls ? port === 443 : port === 80;
        return `${listening.tls ? 'wss' : 'ws'}://${domain}${standard ? '' : `:${port}`}`;
      },
    };
  }

  /**
   * Starts the periodic work: keepalive pings, presence heartbeats, pruning, catching up. Waits
   * until the bus is connected (so nothing published right after start is missed).
   */
  async start(): Promise<void> {
    const { logger } = this.options;
    const every = (ms: number, work: () => Promise<unknown>) => {
      this.stopUpkeep.push(runEvery(ms, work, (error) => logger.warn({ err: error }, 'realtime upkeep failed')));
    };
    every(this.keepalive.sliceIntervalMs, async () => this.keepalive.sweepSlice());
    every(PRESENCE_HEARTBEAT_MS, () => this.presence.heartbeat(this.hub.connectedUserIds()));
    every(PRUNE_INTERVAL_MS, () => this.prune());
    every(CATCH_UP_INTERVAL_MS, () => this.hub.catchUp());
    await this.ready();
  }

  /** Forgets stored events past retention and channels that ended. */
  async prune(): Promise<void> {
    const retention = this.options.eventRetentionMs ?? DEFAULT_RETENTION_MS;
    await this.options.events.prune(new Date(this.options.clock.now().getTime() - retention));
    await (await this.channels()).pruneEnded();
  }

  /**
   * The credential (session, token family) is gone: its channels stop working and every socket
   * opened with them, on any server process, is closed now.
   */
  async revokeCredential(credentialId: string): Promise<void> {
    await (await this.channels()).revokeCredential(credentialId);
    this.hub.revoke(credentialRef(credentialId));
  }

  /** Tells connected clients the server is going away and stops. */
  async close(): Promise<void> {
    for (const stop of this.stopUpkeep) stop();
    const connectedUsers = this.hub.connectedUserIds();
    this.hub.closeAll();
    this.endpoint?.wss.close();
    await this.userPresence.settled();
    await this.presence.heartbeat(connectedUsers).catch(() => undefined);
    await this.presence.forgetInstance().catch(() => undefined);
    await this.bus.close();
  }
}
