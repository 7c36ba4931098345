import {
  classifyLogin,
  DESKTOP_REVISION,
  type DesktopLoginFailure,
  type DesktopLoginRequest,
  type DesktopLoginSuccess,
  type LoginIdentifier,
} from '@portaldesk/protocol';
import type { Logger } from 'pino';
import type { Portal } from '../../portals/portal.ts';
import { randomToken } from '../../secrets/random-secret.ts';
import { digestSecret } from '../../secrets/secret-digest.ts';
import type { User } from '../../users/user.ts';
import type { UserStore } from '../../users/user-store.ts';
import type { AppPasswordService, DesktopBinding } from '../app-passwords/app-password-service.ts';
import type { PasswordHasher } from '../password-hasher.ts';
import type { OpenedSession, SessionService } from '../sessions/session-service.ts';
import type { TwoFactorService } from '../two-factor/two-factor-service.ts';
import { accountLimitKey, type LimitKey, type LoginRateLimits } from './login-rate-limits.ts';
import type { TrustedDeviceStore } from './trusted-device-store.ts';

export interface LoginClient {
  ip: string;
  userAgent: string | null;
  /** The device cookie the client sent, if any. */
  deviceToken: string | undefined;
}

export type DesktopLoginOutcome =
  | {
      ok: true;
      body: DesktopLoginSuccess;
      session: OpenedSession;
      /** A device cookie to set (a client new to this account). */
      newDeviceToken: string | null;
    }
  | { ok: false; status: 400 | 401 | 429; body: DesktopLoginFailure; retryAfterSeconds?: number };

export interface DesktopLoginDependencies {
  users: UserStore;
  sessions: SessionService;
  appPasswords: AppPasswordService;
  twoFactor: TwoFactorService;
  trustedDevices: TrustedDeviceStore;
  limits: LoginRateLimits;
  hasher: PasswordHasher;
  logger: Logger;
}

const WRONG_CREDENTIALS: DesktopLoginOutcome = { ok: false, status: 401, body: { success: false } };

/**
 * The desktop's password sign-in. An unknown login and a wrong password are answered alike and
 * cost alike: both look for an app password, both run one argon2id verification (against a
 * dummy hash when there is no user), both count against the same limits.
 */
export class DesktopLoginService {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly deps: DesktopLoginDependencies) {}

  async signIn(portal: Portal, form: DesktopLoginRequest, client: LoginClient): Promise<DesktopLoginOutcome> {
    const { users, appPasswords, limits } = this.deps;
    // Made before anything else, so that the first unknown login does not pay for it alone.
    const dummyHash = this.dummy();
    const login = classifyLogin(form.login, portal.defaultCountry);
    const user = await users.findByLogin(portal.id, login);
    const binding: DesktopBinding = { osMark: form.user_os_mark, osAccount: form.user_account };

    const appPasswordId = await appPasswords.match(portal.id, user?.id ?? 0, form.password, binding);
    if (user && appPasswordId !== null)
      return this.succeed(portal, user, form, client, { appPasswordId, usedOtp: false });

    const limitKeys = await this.limitKeysFor(portal, user, login, client);
    const retryAfterSeconds = await limits.blockedFor(limitKeys);
    if (retryAfterSeconds > 0) {
      this.audit(portal, user, client, 'sign-in refused: too many failed attempts');
      return { ok: false, status: 429, body: { success: false, code: 'too_many_attempts' }, retryAfterSeconds };
    }

    const storedHash = await users.passwordHash(portal.id, user?.id ?? 0);
    const passwordOk = await this.deps.hasher.verify(storedHash ?? (await dummyHash), form.password);
    if (!user || !storedHash || !passwordOk) {
      await limits.recordFailure(limitKeys);
      this.audit(portal, user, client, 'sign-in failed: wrong login or password');
      return WRONG_CREDENTIALS;
    }
    if (!user.active) return this.deactivated(portal, user, client);

    const secondFactor = await this.checkSecondFactor(portal, user, form, client, limitKeys);
    if (secondFactor !== 'passed' && secondFactor !== 'not-enabled') return secondFactor;
    // Only the client's own bucket is cleared: clearing the address bucket would let anyone
    // holding one valid account reset the counter of the addresses they guess from.
    await limits.reset(limitKeys.filter((k) => k.kind !== 'address'));
    return this.succeed(portal, user, form, client, {
      appPasswordId: null,
      usedOtp: secondFactor === 'passed',
      trusted: limitKeys[0]?.kind === 'device',
    });
  }

  /**
   * A known client of this account counts failures against its own device cookie only; anyone
   * else against their address and the person the login names, whichever alias was typed
   * (see `login-rate-limits.ts`).
   */
  private async limitKeysFor(
    portal: Portal,
    user: User | null,
    login: LoginIdentifier,
    client: LoginClient,
  ): Promise<LimitKey[]> {
    // Asked for unknown logins too (user 0), so that a device cookie cannot time which logins exist.
    const { deviceToken } = client;
    const trusted =
      deviceToken !== undefined &&
      (await this.deps.trustedDevices.isTrusted(portal.id, user?.id ?? 0, deviceToken)) &&
      user !== null;
    if (trusted) return [{ kind: 'device', key: digestSecret(deviceToken) }];
    return [
      { kind: 'address', key: client.ip },
      { kind: 'account', key: accountLimitKey(String(portal.id), user?.id ?? null, login) },
    ];
  }

  private async checkSecondFactor(
    portal: Portal,
    user: User,
    form: DesktopLoginRequest,
    client: LoginClient,
    limitKeys: LimitKey[],
  ): Promise<'passed' | 'not-enabled' | DesktopLoginOutcome> {
    const { twoFactor, limits } = this.deps;
    if (!(await twoFactor.isEnabled(portal.id, user.id))) return 'not-enabled';
    if (form.otp === undefined) return { ok: false, status: 401, body: { success: false, needOtp: true } };
    if (await twoFactor.verify(portal.id, user.id, form.otp)) return 'passed';
    await limits.recordFailure(limitKeys);
    this.audit(portal, user, client, 'sign-in failed: wrong one-time code');
    return { ok: false, status: 401, body: { success: false, needOtp: true, code: 'wrong_otp' } };
  }

  private async succeed(
    portal: Portal,
    user: User,
    form: DesktopLoginRequest,
    client: LoginClient,
    how: { appPasswordId: number | null; usedOtp: boolean; trusted?: boolean },
  ): Promise<DesktopLoginOutcome> {
    if (!user.active) return this.deactivated(portal, user, client);
    let appPasswordId = how.appPasswordId;
    let appPassword: string | undefined;
    // Only a desktop (it names its machine, `user_os_mark`) keeps an application password: the
    // web and phone sign-in forms never store one, and their session is a browser's, listed as such.
    if ((how.usedOtp || form.renew_password) && form.user_os_mark) {
      const issued = await this.deps.appPasswords.issue(portal.id, user.id, {
        osMark: form.user_os_mark,
        osAccount: form.user_account,
      });
      appPasswordId = issued.id;
      appPassword = issued.password;
    }
    const session = await this.deps.sessions.open({
      portalId: portal.id,
      userId: user.id,
      appPasswordId,
      ip: client.ip,
      userAgent: client.userAgent,
    });
    const trusted =
      how.trusted ?? (client.deviceToken !== undefined && (await this.isTrusted(portal, user, client.deviceToken)));
    const newDeviceToken = trusted ? null : await this.deps.trustedDevices.remember(portal.id, user.id);
    this.audit(portal, user, client, how.appPasswordId !== null ? 'signed in with an app password' : 'signed in');
    const body: DesktopLoginSuccess = {
      success: true,
      desktopRevision: DESKTOP_REVISION,
      userId: user.id,
      sessionId: session.token,
      bitrixSessionId: session.sessid,
      ...(appPassword !== undefined ? { appPassword } : {}),
    };
    return { ok: true, body, session, newDeviceToken };
  }

  /** Told only to whoever knows the password, so it reveals nothing to a guesser. */
  private deactivated(portal: Portal, user: User, client: LoginClient): DesktopLoginOutcome {
    this.audit(portal, user, client, 'sign-in refused: user deactivated');
    return { ok: false, status: 401, body: { success: false, code: 'blocked_type' } };
  }

  private isTrusted(portal: Portal, user: User, deviceToken: string): Promise<boolean> {
    return this.deps.trustedDevices.isTrusted(portal.id, user.id, deviceToken);
  }

  private dummy(): Promise<string> {
    if (!this.dummyHash) {
      const made = this.deps.hasher.hash(randomToken());
      made.catch(() => {
        if (this.dummyHash === made) this.dummyHash = undefined;
      });
      this.dummyHash = made;
    }
    return this.dummyHash;
  }

  private audit(portal: Portal, user: User | null, client: LoginClient, event: string): void {
    this.deps.logger.info({ portalId: portal.id, userId: user?.id ?? null, ip: client.ip }, event);
  }
}
