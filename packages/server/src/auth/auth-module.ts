import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.ts';
import type { FeatureModule } from '../modules/feature-module.ts';
import type { RestAuthenticator } from '../rest/rest-authenticator.ts';
import type { Database } from '../storage/database.ts';
import type { UserStore } from '../users/user-store.ts';
import { accountSecurityMethods } from './account-security-methods.ts';
import { AppPasswordService } from './app-passwords/app-password-service.ts';
import { desktopLoginRoutes } from './login/desktop-login-routes.ts';
import { DesktopLoginService } from './login/desktop-login-service.ts';
import { DEFAULT_LOGIN_LIMITS, type LoginLimitSettings, LoginRateLimits } from './login/login-rate-limits.ts';
import { TrustedDeviceStore } from './login/trusted-device-store.ts';
import { argon2PasswordHasher, type PasswordHasher } from './password-hasher.ts';
import { DEFAULT_REAUTHENTICATION_LIMITS, ReauthenticationLimits } from './reauthentication-limits.ts';
import { sessionAuthenticator } from './sessions/session-authenticator.ts';
import { SessionRevocations } from './sessions/session-revocations.ts';
import { SessionService } from './sessions/session-service.ts';
import { SessionStore } from './sessions/session-store.ts';
import { TwoFactorService } from './two-factor/two-factor-service.ts';

export interface AuthServices {
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
  /** Failed sign-ins, per account and address; the Network's sign-in uses them too. */
  loginRateLimits: LoginRateLimits;
  /** Recognises the session cookie (with `sessid`) on REST calls. */
  sessionAuthenticator: RestAuthenticator;
}

/** Sessions, passwords, two-factor sign-in and the desktop's password sign-in. */
export function createAuthModule(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  users: UserStore;
  redis: Redis | undefined;
  loginLimits?: LoginLimitSettings | undefined;
}): FeatureModule<AuthServices> {
  const { db, clock, logger, users, redis } = deps;
  const sessionRevocations = new SessionRevocations();
  const sessions = new SessionService(new SessionStore(db), clock, sessionRevocations);
  const appPasswords = new AppPasswordService(db, clock, sessions);
  const twoFactor = new TwoFactorService(db, clock);
  const passwordHasher: PasswordHasher = { ...argon2PasswordHasher };
  const loginRateLimits = new LoginRateLimits(deps.loginLimits ?? DEFAULT_LOGIN_LIMITS, redis);
  const reauthLimits = new ReauthenticationLimits(DEFAULT_REAUTHENTICATION_LIMITS, redis);
  const desktopLogin = new DesktopLoginService({
    users,
    sessions,
    appPasswords,
    twoFactor,
    trustedDevices: new TrustedDeviceStore(db, clock),
    limits: loginRateLimits,
    hasher: passwordHasher,
    logger,
  });
  const services: AuthServices = {
    passwordHasher,
    sessions,
    sessionRevocations,
    appPasswords,
    twoFactor,
    reauthLimits,
    desktopLogin,
    loginRateLimits,
    sessionAuthenticator: sessionAuthenticator(sessions),
  };
  return {
    name: 'auth',
    services,
    methods: accountSecurityMethods({ ...services, users }),
    routes: [{ role: 'any', register: (app) => desktopLoginRoutes(app, services) }],
  };
}
