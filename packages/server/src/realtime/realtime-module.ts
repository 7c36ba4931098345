import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SessionRevocations } from '../auth/sessions/session-revocations.ts';
import type { Clock } from '../clock/clock.ts';
import type { FeatureModule } from '../modules/feature-module.ts';
import type { PortalResolver } from '../portals/portal-resolver.ts';
import { type LeakyBucketLimiter, leakyBucket } from '../rest/rate-limit/leaky-bucket.ts';
import type { Database } from '../storage/database.ts';
import { DEFAULT_PUBLISH_LIMIT } from './client-publishing.ts';
import type { EventLog } from './event-log.ts';
import { pullRestMethods } from './pull-rest-methods.ts';
import { Realtime } from './realtime.ts';

export interface RealtimeServices {
  /** Push to connected clients: channels, the WebSocket endpoint, presence, the cross-process bus. */
  realtime: Realtime;
  /**
   * What users' clients publish over their sockets, per portal and user, shared through Redis.
   * Its `settings` may be changed at run time; tests make them small.
   */
  pullPublishLimiter: LeakyBucketLimiter;
}

/** Something whose credentials can be revoked (a webhook, an OAuth authorization). */
export interface CredentialRevocations {
  /** What the credential is, for the log: `webhook`, `OAuth authorization`. */
  what: string;
  subscribe(listener: (revoked: { credentialId: string }) => void): void;
}

export function createRealtimeModule(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  events: EventLog;
  portalResolver: PortalResolver;
  redis: Redis | undefined;
  /** The bus between server processes opens connections of its own. */
  redisUrl?: string | undefined;
  redisNamespace?: string | undefined;
  sessionRevocations: SessionRevocations;
  /** Their sockets close on every process when one of these credentials is revoked. */
  credentialRevocations: readonly CredentialRevocations[];
  /** A user came online or went offline: the people who can see them are told (status module). */
  onPresenceChange: (portalId: number, userId: number) => void;
}): FeatureModule<RealtimeServices> {
  const { db, clock, logger, events, portalResolver } = deps;
  const pullPublishLimiter = leakyBucket(
    { ...DEFAULT_PUBLISH_LIMIT },
    clock,
    deps.redis,
    'portaldesk:pull-publish-limit',
  );
  const realtime = new Realtime({
    db,
    clock,
    logger,
    events,
    portalResolver,
    publishLimiter: pullPublishLimiter,
    redisUrl: deps.redisUrl,
    redisNamespace: deps.redisNamespace,
    sessionRevocations: deps.sessionRevocations,
    onPresenceChange: deps.onPresenceChange,
  });
  for (const revocations of deps.credentialRevocations) {
    revocations.subscribe(({ credentialId }) => {
      realtime.revokeCredential(credentialId).catch((error: unknown) => {
        logger.error({ err: error }, `closing the realtime sockets of a revoked ${revocations.what} failed`);
      });
    });
  }
  return {
    name: 'realtime',
    services: { realtime, pullPublishLimiter },
    methods: pullRestMethods(realtime),
    routes: [
      {
        role: 'any',
        register: async (app, settings) => {
          realtime.attach(app.server, { tls: Boolean(settings.tls), port: settings.listeningPort });
          // Before the HTTP server stops: it waits for every open connection to end, and realtime
          // sockets only end when realtime closes them (a shutdown with desktops connected would hang).
          app.addHook('preClose', () => realtime.close());
        },
      },
    ],
    start: () => realtime.start(),
  };
}
