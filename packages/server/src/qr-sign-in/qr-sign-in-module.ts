import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AppPasswordService } from '../auth/app-passwords/app-password-service.ts';
import type { SessionRevocations } from '../auth/sessions/session-revocations.ts';
import type { SessionService } from '../auth/sessions/session-service.ts';
import type { Clock } from '../clock/clock.ts';
import type { Notifier } from '../messenger/notifications/notifier.ts';
import type { FeatureModule } from '../modules/feature-module.ts';
import type { EventLog } from '../realtime/event-log.ts';
import type { Database } from '../storage/database.ts';
import type { UserStore } from '../users/user-store.ts';
import { MessengerSignInAlerts } from './messenger-sign-in-alerts.ts';
import { QrAttemptSignals } from './qr-attempt-signals.ts';
import { QrAttemptStore } from './qr-attempt-store.ts';
import { QrSignInAudit } from './qr-sign-in-audit.ts';
import { qrSignInMethods } from './qr-sign-in-methods.ts';
import { QrSignInPurge } from './qr-sign-in-purge.ts';
import { DEFAULT_QR_LIMITS, type QrLimitSettings, QrSignInRateLimits } from './qr-sign-in-rate-limits.ts';
import { qrSignInRoutes } from './qr-sign-in-routes.ts';
import { QrSignInService } from './qr-sign-in-service.ts';
import { ServerKeyStore } from './server-key-store.ts';

export interface QrSignInServices {
  /** QR sign-in: the desktop's `/desktop_app/qr/…` and the phone's `portaldesk.qrsignin.*`. */
  qrSignIn: QrSignInService;
  qrSignInSignals: QrAttemptSignals;
  qrSignInAudit: QrSignInAudit;
  /** Deletes long-ended attempts and old audit entries; runs on a timer of its own. */
  qrSignInPurge: QrSignInPurge;
}

export function createQrSignInModule(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  redis: Redis | undefined;
  users: UserStore;
  sessions: SessionService;
  sessionRevocations: SessionRevocations;
  appPasswords: AppPasswordService;
  /** Tells the user's other devices of a new sign-in. */
  notifier: Notifier;
  events: EventLog;
  qrLimits?: QrLimitSettings | undefined;
}): FeatureModule<QrSignInServices> {
  const { db, clock, logger, redis, sessions } = deps;
  const qrSignInAudit = new QrSignInAudit(db, clock, logger);
  const qrSignInSignals = new QrAttemptSignals();
  const qrSignIn = new QrSignInService({
    store: new QrAttemptStore(db),
    audit: qrSignInAudit,
    limits: new QrSignInRateLimits(deps.qrLimits ?? DEFAULT_QR_LIMITS, redis),
    keys: new ServerKeyStore(db, clock),
    signals: qrSignInSignals,
    sessions,
    appPasswords: deps.appPasswords,
    alerts: new MessengerSignInAlerts(db, deps.notifier, deps.events, qrSignInAudit),
    users: deps.users,
    clock,
  });
  const qrSignInPurge = new QrSignInPurge(db, clock, logger);
  deps.sessionRevocations.subscribe(({ portalId, sessionId }) => {
    qrSignIn.phone.sessionEnded(portalId, sessionId).catch((error: unknown) => {
      logger.error({ err: error }, 'qr sign-in: ending attempts of an ended session failed');
    });
  });
  const services = { qrSignIn, qrSignInSignals, qrSignInAudit, qrSignInPurge };
  let stopPurge: (() => void) | undefined;
  return {
    name: 'qr-sign-in',
    services,
    methods: qrSignInMethods(qrSignIn, sessions),
    routes: [{ role: 'any', register: (app) => qrSignInRoutes(app, services) }],
    async start() {
      stopPurge = qrSignInPurge.start();
    },
    async stop() {
      stopPurge?.();
    },
  };
}
