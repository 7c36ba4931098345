import type { QrCreateRequestSchema } from '@portaldesk/protocol';
import type { z } from 'zod';
import type { AppPasswordService } from '../auth/app-passwords/app-password-service.ts';
import type { SessionService } from '../auth/sessions/session-service.ts';
import type { Clock } from '../clock/clock.ts';
import type { UserStore } from '../users/user-store.ts';
import type { QrAttemptSignals } from './qr-attempt-signals.ts';
import type { QrAttemptStore } from './qr-attempt-store.ts';
import type { QrSignInAudit } from './qr-sign-in-audit.ts';
import type { QrSignInRateLimits } from './qr-sign-in-rate-limits.ts';
import type { ServerKeyStore } from './server-key-store.ts';
import type { SignInAlerts } from './sign-in-alerts.ts';

export interface QrClient {
  ip: string;
  userAgent: string | null;
}

/** The phone's side: a signed-in session of this portal. */
export interface QrPhone extends QrClient {
  userId: number;
  sessionId: string;
}

export type QrCreateInput = z.output<typeof QrCreateRequestSchema>;

export interface QrSignInDependencies {
  store: QrAttemptStore;
  audit: QrSignInAudit;
  limits: QrSignInRateLimits;
  keys: ServerKeyStore;
  signals: QrAttemptSignals;
  sessions: SessionService;
  appPasswords: AppPasswordService;
  alerts: SignInAlerts;
  users: Pick<UserStore, 'findById'>;
  clock: Clock;
}
