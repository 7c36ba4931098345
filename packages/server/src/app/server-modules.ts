import type { Logger } from 'pino';
import { createAdminModule } from '../admin/admin-module.ts';
import { type AuthServices, createAuthModule } from '../auth/auth-module.ts';
import type { LoginLimitSettings } from '../auth/login/login-rate-limits.ts';
import type { Clock } from '../clock/clock.ts';
import type { Config, FileStorageConfig } from '../config/config.ts';
import { createFilesModule, type FilesServices } from '../files/files-module.ts';
import type { SendRateLimit } from '../messenger/messages/send-rate-limiter.ts';
import { createMessengerModule, type MessengerServices } from '../messenger/messenger-module.ts';
import type { FeatureModule } from '../modules/feature-module.ts';
import { createNetworkModule, type NetworkServices } from '../network/network-module.ts';
import { createOAuthModule, type OAuthServices } from '../oauth/oauth-module.ts';
import { createPhotosModule, type PhotosServices } from '../photos/photos-module.ts';
import { createPortalsModule, type PortalsServices } from '../portals/portals-module.ts';
import { createQrSignInModule, type QrSignInServices } from '../qr-sign-in/qr-sign-in-module.ts';
import type { QrLimitSettings } from '../qr-sign-in/qr-sign-in-rate-limits.ts';
import { EventLog } from '../realtime/event-log.ts';
import { createRealtimeModule, type RealtimeServices } from '../realtime/realtime-module.ts';
import { knownScopes } from '../rest/methods/core-methods.ts';
import { RestMethodRegistry } from '../rest/rest-method-registry.ts';
import type { Database } from '../storage/database.ts';
import { createUsersModule, type UsersServices } from '../users/users-module.ts';
import { createWebhooksModule, type WebhooksServices } from '../webhooks/webhooks-module.ts';
import { createRedisModule, type RedisServices } from './redis-module.ts';
import { createRestModule, type RestServices } from './rest-module.ts';

export interface AppDependencies {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Shares login rate limits and carries realtime deliveries between processes. */
  redisUrl?: string | undefined;
  /** Prefix of every Redis key and channel of this deployment (see REDIS_NAMESPACE). */
  redisNamespace?: string | undefined;
  loginLimits?: LoginLimitSettings;
  /** How fast one user may send messages; a default that no person reaches when absent. */
  sendRateLimit?: SendRateLimit;
  /** Where the Network answers; defaults suit demo and tests. */
  network?: Config['network'];
  qrLimits?: QrLimitSettings;
  /**
   * Where file bodies go and how large they may be. Only tools that never receive a file (the
   * admin command line's fixtures) leave it out: a folder under the system's temporary one.
   */
  files?: FileStorageConfig & { dir: string };
}

/**
 * Every module's public services in one typed bag, for the server's own start-up (demo seeding,
 * the Network's issuer), the admin command line and the tests. Feature code never sees it: each
 * module is given the services it declares.
 */
export type AppContext = {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Records and delivers every realtime event; features publish through it. */
  events: EventLog;
} & RedisServices &
  PortalsServices &
  UsersServices &
  AuthServices &
  WebhooksServices &
  OAuthServices &
  RestServices &
  MessengerServices &
  RealtimeServices &
  QrSignInServices &
  NetworkServices &
  FilesServices &
  PhotosServices;

export interface ServerModules {
  context: AppContext;
  /** In the order they are started; they stop in reverse (Redis, first, closes last). */
  modules: readonly FeatureModule[];
}

/** Builds every feature module from the services it declares, in dependency order. */
export function createServerModules(dependencies: AppDependencies): ServerModules {
  const { db, clock, logger } = dependencies;
  const redisModule = createRedisModule(dependencies);
  const { redis } = redisModule.services;
  const events = new EventLog(db);
  const restMethods = new RestMethodRegistry();
  const portals = createPortalsModule({ db });
  const messenger = createMessengerModule({
    db,
    clock,
    events,
    ...(dependencies.sendRateLimit ? { sendRateLimit: dependencies.sendRateLimit } : {}),
  });
  const { directory, sender, paramsUpdates, membership, notifier, statusBroadcast, presence } =
    messenger.services.messenger;
  const users = createUsersModule({ db, clock, presence });
  const { users: userStore } = users.services;
  const auth = createAuthModule({ db, clock, logger, users: userStore, redis, loginLimits: dependencies.loginLimits });
  const { sessions, sessionRevocations, appPasswords, passwordHasher } = auth.services;
  const webhooks = createWebhooksModule({ db, clock, users: userStore });
  const oauth = createOAuthModule({
    db,
    clock,
    redis,
    users: userStore,
    sessions,
    knownScopes: () => knownScopes(restMethods),
  });
  // Webhook paths and `auth=` tokens win over a cookie the browser may also send.
  const authenticators = [
    webhooks.services.webhookAuthenticator,
    oauth.services.oauthAuthenticator,
    auth.services.sessionAuthenticator,
  ];
  const rest = createRestModule({ clock, logger, redis, restMethods, authenticators });
  const realtime = createRealtimeModule({
    db,
    clock,
    logger,
    events,
    portalResolver: portals.services.portalResolver,
    redis,
    redisUrl: dependencies.redisUrl,
    redisNamespace: dependencies.redisNamespace,
    sessionRevocations,
    credentialRevocations: [
      { what: 'webhook', subscribe: (listener) => webhooks.services.webhooks.onRevoked(listener) },
      { what: 'OAuth authorization', subscribe: (listener) => oauth.services.oauthGrants.onFamilyRevoked(listener) },
    ],
    onPresenceChange: (portalId, userId) => {
      statusBroadcast.announce(portalId, userId, false).catch((error: unknown) => {
        logger.warn({ err: error }, 'announcing a presence change failed');
      });
    },
  });
  const qrSignIn = createQrSignInModule({
    db,
    clock,
    logger,
    redis,
    users: userStore,
    sessions,
    sessionRevocations,
    appPasswords,
    notifier,
    events,
    qrLimits: dependencies.qrLimits,
  });
  const network = createNetworkModule({
    db,
    clock,
    settings: dependencies.network,
    loginRateLimits: auth.services.loginRateLimits,
    passwordHasher,
    users: userStore,
    sessions,
    appPasswords,
  });
  const files = createFilesModule({
    db,
    clock,
    logger,
    storage: dependencies.files,
    directory,
    sender,
    paramsUpdates,
    authenticators,
  });
  const photos = createPhotosModule({ db, blobs: files.services.blobs, directory, membership, authenticators });
  const admin = createAdminModule({
    db,
    clock,
    users: userStore,
    sessions,
    passwordHasher,
    webhooks: webhooks.services.webhooks,
    restMethods,
    oauthAppAdministration: oauth.services.oauthAppAdministration,
  });
  const modules: FeatureModule[] = [
    redisModule,
    portals,
    messenger,
    users,
    auth,
    webhooks,
    oauth,
    rest,
    realtime,
    qrSignIn,
    network,
    files,
    photos,
    admin,
  ];
  for (const module of modules) restMethods.register(...(module.methods ?? []));
  const context: AppContext = {
    db,
    clock,
    logger,
    events,
    ...redisModule.services,
    ...portals.services,
    ...users.services,
    ...auth.services,
    ...webhooks.services,
    ...oauth.services,
    ...rest.services,
    ...messenger.services,
    ...realtime.services,
    ...qrSignIn.services,
    ...network.services,
    ...files.services,
    ...photos.services,
  };
  return { context, modules };
}
