import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { adminAppMethods } from '../admin/rest/admin-app-methods.ts';
import { adminUserMethods } from '../admin/rest/admin-user-methods.ts';
import { adminWebhookMethods } from '../admin/rest/admin-webhook-methods.ts';
import { accountSecurityMethods } from '../auth/account-security-methods.ts';
import { AppPasswordService } from '../auth/app-passwords/app-password-service.ts';
import { DesktopLoginService } from '../auth/login/desktop-login-service.ts';
import { DEFAULT_LOGIN_LIMITS, type LoginLimitSettings, LoginRateLimits } from '../auth/login/login-rate-limits.ts';
import { TrustedDeviceStore } from '../auth/login/trusted-device-store.ts';
import { argon2PasswordHasher, type PasswordHasher } from '../auth/password-hasher.ts';
import { DEFAULT_REAUTHENTICATION_LIMITS, ReauthenticationLimits } from '../auth/reauthentication-limits.ts';
import { sessionAuthenticator } from '../auth/sessions/session-authenticator.ts';
import { SessionRevocations } from '../auth/sessions/session-revocations.ts';
import { SessionService } from '../auth/sessions/session-service.ts';
import { SessionStore } from '../auth/sessions/session-store.ts';
import { TwoFactorService } from '../auth/two-factor/two-factor-service.ts';
import type { Clock } from '../clock/clock.ts';
import type { Config, FileStorageConfig } from '../config/config.ts';
import type { BlobStore } from '../files/blob-store.ts';
import { ChatFileCleanup } from '../files/chat-file-cleanup.ts';
import { chatFileMethods } from '../files/chat-file-methods.ts';
import { ChatFiles } from '../files/chat-files.ts';
import { DirectoryBlobStore } from '../files/directory-blob-store.ts';
import { DEFAULT_IMAGE_LIMITS } from '../files/file-inspection.ts';
import { MessageFiles } from '../files/message-files.ts';
import { S3BlobStoreOnDemand } from '../files/s3-blob-store-on-demand.ts';
import type { SendRateLimit } from '../messenger/messages/send-rate-limiter.ts';
import { createMessenger, type Messenger } from '../messenger/messenger.ts';
import { messengerMethods } from '../messenger/messenger-methods.ts';
import { createNetworkContext, type NetworkContext } from '../network/network-context.ts';
import { NetworkBackChannel } from '../network/portal-side/network-back-channel.ts';
import { NetworkTokenVerifier } from '../network/portal-side/network-token-verifier.ts';
import { PortalNetworkTrustStore } from '../network/portal-side/portal-network-trust.ts';
import { OAuthAppAdministration } from '../oauth/oauth-app-administration.ts';
import { OAuthAppStore } from '../oauth/oauth-app-store.ts';
import { oauthAuthenticator } from '../oauth/oauth-authenticator.ts';
import { OAuthConsentStore } from '../oauth/oauth-consent-store.ts';
import { OAuthGrantStore } from '../oauth/oauth-grant-store.ts';
import { photoMethods } from '../photos/photo-methods.ts';
import { DEFAULT_PHOTO_SETTINGS, Photos } from '../photos/photos.ts';
import { portalMethods } from '../portals/portal-methods.ts';
import { PortalResolver } from '../portals/portal-resolver.ts';
import { PortalStore } from '../portals/portal-store.ts';
import { MessengerSignInAlerts } from '../qr-sign-in/messenger-sign-in-alerts.ts';
import { QrAttemptSignals } from '../qr-sign-in/qr-attempt-signals.ts';
import { QrAttemptStore } from '../qr-sign-in/qr-attempt-store.ts';
import { QrSignInAudit } from '../qr-sign-in/qr-sign-in-audit.ts';
import { qrSignInMethods } from '../qr-sign-in/qr-sign-in-methods.ts';
import { QrSignInPurge } from '../qr-sign-in/qr-sign-in-purge.ts';
import { DEFAULT_QR_LIMITS, type QrLimitSettings, QrSignInRateLimits } from '../qr-sign-in/qr-sign-in-rate-limits.ts';
import { QrSignInService } from '../qr-sign-in/qr-sign-in-service.ts';
import { ServerKeyStore } from '../qr-sign-in/server-key-store.ts';
import { DEFAULT_PUBLISH_LIMIT } from '../realtime/client-publishing.ts';
import { EventLog } from '../realtime/event-log.ts';
import { pullRestMethods } from '../realtime/pull-rest-methods.ts';
import { Realtime } from '../realtime/realtime.ts';
import { openRedis } from '../redis/open-redis.ts';
import { batchRestMethod } from '../rest/batch/batch-method.ts';
import { coreRestMethods, knownScopes } from '../rest/methods/core-methods.ts';
import { type LeakyBucketLimiter, type LeakyBucketSettings, leakyBucket } from '../rest/rate-limit/leaky-bucket.ts';
import type { RestAuthenticator } from '../rest/rest-authenticator.ts';
import { RestDispatcher } from '../rest/rest-dispatcher.ts';
import { RestMethodRegistry } from '../rest/rest-method-registry.ts';
import type { Database } from '../storage/database.ts';
import { userRestMethods } from '../users/rest/user-methods.ts';
import { UserStore } from '../users/user-store.ts';
import { IncomingWebhookStore } from '../webhooks/incoming-webhook-store.ts';
import { webhookAuthenticator } from '../webhooks/webhook-authenticator.ts';

/**
 * Everything a request handler may use, built once per process and passed in explicitly.
 * Features add their stores here and their methods to the registry.
 */
export interface AppContext {
  db: Database;
  clock: Clock;
  logger: Logger;
  portals: PortalStore;
  portalResolver: PortalResolver;
  users: UserStore;
  restMethods: RestMethodRegistry;
  /** Tried in order; the first that recognises the request's kind of proof decides. */
  restAuthenticators: RestAuthenticator[];
  dispatcher: RestDispatcher;
  /** Records and delivers every realtime event; features publish through it. */
  events: EventLog;
  /** argon2id; replaceable so tests can count verifications. */
  passwordHasher: PasswordHasher;
  /** Sessions; `sessions.fromRequest(request)` tells the signed-in user of any request. */
  sessions: SessionService;
  /** Fires when a session ends; the realtime layer closes its sockets and forwards it. */
  sessionRevocations: SessionRevocations;
  appPasswords: AppPasswordService;
  /** TOTP: `resetForUser` (admin), `enableWithSecret` (demo seed). */
  twoFactor: TwoFactorService;
  /** Wrong current passwords and codes inside a signed-in session, per user. */
  reauthLimits: ReauthenticationLimits;
  desktopLogin: DesktopLoginService;
  /** QR sign-in: the desktop's `/desktop_app/qr/…` and the phone's `portaldesk.qrsignin.*`. */
  qrSignIn: QrSignInService;
  qrSignInSignals: QrAttemptSignals;
  qrSignInAudit: QrSignInAudit;
  /** Deletes long-ended attempts and old audit entries; runs on a timer of its own. */
  qrSignInPurge: QrSignInPurge;
  /** Run when the server stops (after HTTP has closed, before the database). */
  closers: (() => Promise<void>)[];
  /**
   * Webhook and OAuth callers, per portal and client address, as Bitrix24 limits them (a leaky
   * bucket of 50 draining at 2 a second). The portal's own UI and desktop are not limited here.
   * Shared through Redis when `REDIS_URL` is set. Its `settings` may be changed at run time;
   * tests make them small.
   */
  restRateLimiter: LeakyBucketLimiter;
  webhooks: IncomingWebhookStore;
  oauthApps: OAuthAppStore;
  /** Registering, listing, re-keying and deleting apps: the admin page's and command line's one way. */
  oauthAppAdministration: OAuthAppAdministration;
  oauthGrants: OAuthGrantStore;
  /** Which scopes each user has allowed each app (the consent screen's memory). */
  oauthConsents: OAuthConsentStore;
  /** Guards the token endpoint against guessing, per portal and client address. */
  oauthTokenLimiter: LeakyBucketLimiter;
  /** Chats, messages, read positions, counters and notifications (`im.*`). */
  messenger: Messenger;
  /** The Network role's stores and services (its routes exist only when the role is on). */
  network: NetworkContext;
  /** Portal role: which Network each portal trusts, and the portal's credentials there. */
  portalNetworkTrust: PortalNetworkTrustStore;
  /** Portal role: the portal's HTTP calls to its Network. */
  networkBackChannel: NetworkBackChannel;
  /** Portal role: checks the Network's ID tokens and portal assertions. */
  networkTokenVerifier: NetworkTokenVerifier;
  /** Push to connected clients: channels, the WebSocket endpoint, presence, the cross-process bus. */
  realtime: Realtime;
  /**
   * What users' clients publish over their sockets, per portal and user, shared through Redis.
   * Its `settings` may be changed at run time; tests make them small.
   */
  pullPublishLimiter: LeakyBucketLimiter;
  /** Files sent in chats: uploads, posting, addresses, clean-up (`files/`). */
  chatFiles: ChatFiles;
  photos: Photos;
  chatFileCleanup: ChatFileCleanup;
}

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

/** Bitrix24's documented limit for ordinary plans (docs: "REST API Limits"). */
export const DEFAULT_REST_RATE_LIMIT: LeakyBucketSettings = { burst: 50, drainPerSecond: 2 };

export function createAppContext(dependencies: AppDependencies): AppContext {
  const { db, clock, logger, redisUrl, redisNamespace, loginLimits, sendRateLimit, network } = dependencies;
  const portals = new PortalStore(db);
  const events = new EventLog(db);
  const users = new UserStore(db);
  const restMethods = new RestMethodRegistry();
  const closers: AppContext['closers'] = [];
  const sessionRevocations = new SessionRevocations();
  const sessions = new SessionService(new SessionStore(db), clock, sessionRevocations);
  const appPasswords = new AppPasswordService(db, clock, sessions);
  const twoFactor = new TwoFactorService(db, clock);
  const passwordHasher: PasswordHasher = { ...argon2PasswordHasher };
  const redis = redisUrl
    ? openRedis(redisUrl, { maxRetriesPerRequest: 2, ...(redisNamespace ? { keyPrefix: `${redisNamespace}:` } : {}) })
    : undefined;
  if (redis) closers.push(async () => void (await redis.quit()));
  const webhooks = new IncomingWebhookStore(db);
  const oauthGrants = new OAuthGrantStore(db, clock);
  const oauthApps = new OAuthAppStore(db);
  const limits = new LoginRateLimits(loginLimits ?? DEFAULT_LOGIN_LIMITS, redis);
  const messenger = createMessenger({ db, clock, events, ...(sendRateLimit ? { sendRateLimit } : {}) });
  const qrSignInAudit = new QrSignInAudit(db, clock, logger);
  const qrSignInSignals = new QrAttemptSignals();
  const qrAttempts = new QrAttemptStore(db);
  const qrSignIn = new QrSignInService({
    store: qrAttempts,
    audit: qrSignInAudit,
    limits: new QrSignInRateLimits(dependencies.qrLimits ?? DEFAULT_QR_LIMITS, redis),
    keys: new ServerKeyStore(db, clock),
    signals: qrSignInSignals,
    sessions,
    appPasswords,
    alerts: new MessengerSignInAlerts(db, messenger.notifier, events, qrSignInAudit),
    users,
    clock,
  });
  const qrSignInPurge = new QrSignInPurge(db, clock, logger);
  const stopQrPurge = qrSignInPurge.start();
  closers.push(async () => stopQrPurge());
  sessionRevocations.subscribe(({ portalId, sessionId }) => {
    qrSignIn.phone.sessionEnded(portalId, sessionId).catch((error: unknown) => {
      logger.error({ err: error }, 'qr sign-in: ending attempts of an ended session failed');
    });
  });
  const portalResolver = new PortalResolver(portals);
  const pullPublishLimiter = leakyBucket({ ...DEFAULT_PUBLISH_LIMIT }, clock, redis, 'portaldesk:pull-publish-limit');
  const realtime = new Realtime({
    db,
    clock,
    logger,
    events,
    portalResolver,
    publishLimiter: pullPublishLimiter,
    redisUrl,
    redisNamespace,
    sessionRevocations,
    onPresenceChange: (portalId, userId) => {
      messenger.statusBroadcast.announce(portalId, userId, false).catch((error: unknown) => {
        logger.warn({ err: error }, 'announcing a presence change failed');
      });
    },
  });
  webhooks.onRevoked(({ credentialId }) => {
    realtime.revokeCredential(credentialId).catch((error: unknown) => {
      logger.error({ err: error }, 'closing the realtime sockets of a revoked webhook failed');
    });
  });
  oauthGrants.onFamilyRevoked(({ credentialId }) => {
    realtime.revokeCredential(credentialId).catch((error: unknown) => {
      logger.error({ err: error }, 'closing the realtime sockets of a revoked OAuth authorization failed');
    });
  });
  const fileStorage = dependencies.files ?? {
    sizeLimit: 100 * 1024 * 1024,
    dir: join(tmpdir(), 'portaldesk-files'),
    s3: undefined,
  };
  const blobs = fileBodyStore(fileStorage);
  const chatFiles = new ChatFiles(db, clock, blobs, messenger.directory, messenger.sender, new MessageFiles(db), {
    sizeLimit: fileStorage.sizeLimit,
    image: DEFAULT_IMAGE_LIMITS,
    uploadAddressTtlMs: 60 * 60 * 1000,
  });
  const photos = new Photos(db, blobs, messenger.directory, messenger.membership, DEFAULT_PHOTO_SETTINGS);
  const chatFileCleanup = new ChatFileCleanup(chatFiles, clock, logger);
  const stopChatFileCleanup = chatFileCleanup.start();
  closers.push(async () => {
    stopChatFileCleanup();
    if (blobs instanceof S3BlobStoreOnDemand) blobs.close();
  });
  const context: AppContext = {
    db,
    clock,
    logger,
    portals,
    portalResolver,
    users,
    restMethods,
    // Webhook paths and `auth=` tokens win over a cookie the browser may also send.
    restAuthenticators: [
      webhookAuthenticator({ webhooks, users, clock }),
      oauthAuthenticator({ grants: oauthGrants, users }),
      sessionAuthenticator(sessions),
    ],
    dispatcher: new RestDispatcher(restMethods, clock),
    events,
    messenger,
    realtime,
    pullPublishLimiter,
    passwordHasher,
    sessions,
    sessionRevocations,
    appPasswords,
    twoFactor,
    reauthLimits: new ReauthenticationLimits(DEFAULT_REAUTHENTICATION_LIMITS, redis),
    desktopLogin: new DesktopLoginService({
      users,
      sessions,
      appPasswords,
      twoFactor,
      trustedDevices: new TrustedDeviceStore(db, clock),
      limits,
      hasher: passwordHasher,
      logger,
    }),
    qrSignIn,
    qrSignInSignals,
    qrSignInAudit,
    qrSignInPurge,
    closers,
    restRateLimiter: leakyBucket({ ...DEFAULT_REST_RATE_LIMIT }, clock, redis, 'portaldesk:rest-limit'),
    webhooks,
    oauthApps,
    oauthAppAdministration: new OAuthAppAdministration({
      apps: oauthApps,
      grants: oauthGrants,
      knownScopes: () => knownScopes(restMethods),
      clock,
    }),
    oauthGrants,
    oauthConsents: new OAuthConsentStore(db),
    oauthTokenLimiter: leakyBucket({ ...DEFAULT_REST_RATE_LIMIT }, clock, redis, 'portaldesk:oauth-token-limit'),
    network: createNetworkContext({
      db,
      clock,
      domain: network?.domain ?? 'network.localhost',
      issuer: network?.issuer,
      limits,
      hasher: passwordHasher,
    }),
    portalNetworkTrust: new PortalNetworkTrustStore(db),
    networkBackChannel: new NetworkBackChannel(),
    networkTokenVerifier: new NetworkTokenVerifier(db, clock),
    chatFiles,
    photos,
    chatFileCleanup,
  };
  restMethods.register(
    ...coreRestMethods(context),
    ...portalMethods(),
    ...accountSecurityMethods(context),
    ...adminUserMethods(context),
    ...adminWebhookMethods(context),
    ...adminAppMethods(context),
    ...userRestMethods(context),
    batchRestMethod(() => context.dispatcher, logger),
    ...qrSignInMethods(qrSignIn, sessions),
  );
  restMethods.register(...messengerMethods(context.messenger));
  restMethods.register(...pullRestMethods(context.realtime));
  restMethods.register(...chatFileMethods(chatFiles));
  restMethods.register(...photoMethods(photos));
  return context;
}

/** An S3-compatible bucket when one is configured, else the folder. */
function fileBodyStore(files: FileStorageConfig & { dir: string }): BlobStore {
  if (files.s3) return new S3BlobStoreOnDemand(files.s3, join(files.dir, 'incoming'));
  return new DirectoryBlobStore(files.dir);
}
