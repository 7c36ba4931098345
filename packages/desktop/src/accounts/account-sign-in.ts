import { randomBytes } from 'node:crypto';
import { CSRF_HEADER, DEVICE_COOKIE, SESSION_COOKIE } from '@portaldesk/protocol';
import type { AccountSettings } from '../config/settings.ts';
import type { SettingsHolder } from '../config/settings-holder.ts';
import type { DesktopFetch } from '../portal/desktop-http-client.ts';
import { type DesktopIdentity, postDesktopLogin } from '../portal/desktop-sign-in.ts';
import { checkPortal } from '../portal/portal-check.ts';
import { PortalError } from '../portal/portal-errors.ts';
import type { CredentialVault } from '../vault/credential-vault.ts';

/** A signed-in portal session: what an account window and the REST client need. */
export interface PortalSession {
  origin: string;
  userId: number;
  /** Cookies the portal set (PHPSESSID…), for the account's browser profile. */
  cookies: Map<string, string>;
  /** `sessid`, the CSRF token of session REST calls. */
  sessid: string;
}

export type AccountSignInResult =
  | { status: 'need-otp' }
  | { status: 'signed-in'; account: AccountSettings; session: PortalSession; rememberedAppPassword: boolean };

export interface AccountSignInDependencies {
  fetch: DesktopFetch;
  identity: DesktopIdentity;
  vault: CredentialVault;
  settings: SettingsHolder;
  online?: () => boolean;
}

/**
 * Adds an account by password sign-in, and signs it in again later without the password. On
 * the first sign-in the desktop asks the portal for an application password (`renew_password`),
 * keeps that in the vault and never the real password; later sign-ins use it, so the one-time
 * code is not asked again.
 */
export class AccountSignIn {
  constructor(private readonly deps: AccountSignInDependencies) {}

  async signIn(input: {
    address: string;
    login: string;
    password: string;
    otp?: string;
  }): Promise<AccountSignInResult> {
    const portal = await checkPortal(input.address, { fetch: this.deps.fetch, online: this.deps.online });
    const known = this.deps.settings
      .get()
      .accounts.find((a) => a.portal.origin === portal.origin && a.user.login === input.login.trim());
    const deviceToken = known ? await this.deps.vault.get(known.id, 'device-token') : null;
    const outcome = await postDesktopLogin(
      {
        origin: portal.origin,
        host: portal.host,
        login: input.login.trim(),
        password: input.password,
        ...(input.otp ? { otp: input.otp } : {}),
        renewAppPassword: true,
        ...(deviceToken ? { deviceToken } : {}),
      },
      this.deps,
    );
    if (outcome.status === 'need-otp') return outcome;
    const { answer, cookies } = outcome;
    const session: PortalSession = {
      origin: portal.origin,
      userId: answer.userId,
      cookies,
      sessid: answer.bitrixSessionId,
    };
    const account = await this.remember(portal, session, {
      login: input.login.trim(),
      ...(answer.appPassword ? { appPassword: answer.appPassword } : {}),
      deviceToken: cookies.get(DEVICE_COOKIE),
    });
    return { status: 'signed-in', account, session, rememberedAppPassword: answer.appPassword !== undefined };
  }

  /**
   * Adds an account whose session another sign-in opened (QR code, Network profile): the same as
   * after a password sign-in (the application password in the vault, the account in the
   * settings, the active one), so that reconnecting and the next start work alike.
   */
  async addSignedInAccount(
    portal: { origin: string; host: string },
    result: { userId: number; sessionId: string; bitrixSessionId: string; appPassword: string; login: string },
  ): Promise<{ account: AccountSettings; session: PortalSession }> {
    const session: PortalSession = {
      origin: portal.origin,
      userId: result.userId,
      cookies: new Map([[SESSION_COOKIE, result.sessionId]]),
      sessid: result.bitrixSessionId,
    };
    const account = await this.remember(portal, session, { login: result.login, appPassword: result.appPassword });
    return { account, session };
  }

  /** Keeps a signed-in account: its secrets in the vault, the account in the settings as the active one. */
  private async remember(
    portal: { origin: string; host: string },
    session: PortalSession,
    secrets: { login: string; appPassword?: string; deviceToken?: string | undefined },
  ): Promise<AccountSettings> {
    const existing = this.deps.settings
      .get()
      .accounts.find((a) => a.portal.origin === portal.origin && a.user.id === session.userId);
    const id = existing?.id ?? newAccountId();
    if (secrets.appPassword) await this.deps.vault.set(id, 'app-password', secrets.appPassword);
    if (secrets.deviceToken) await this.deps.vault.set(id, 'device-token', secrets.deviceToken);
    const [current, portalName] = await Promise.all([this.currentUser(session), this.portalName(session)]);
    const account: AccountSettings = {
      id,
      portal: { origin: portal.origin, title: portalName ?? existing?.portal.title ?? portal.host },
      user: {
        id: session.userId,
        displayName: current?.name ?? secrets.login,
        login: secrets.login,
        ...(current?.avatarUrl ? { avatarUrl: current.avatarUrl } : {}),
      },
      muted: existing?.muted ?? false,
      notifications: existing?.notifications ?? { sound: true, preview: true },
    };
    await this.deps.settings.update((settings) => {
      const index = settings.accounts.findIndex((a) => a.id === id);
      if (index >= 0) settings.accounts[index] = account;
      else settings.accounts.push(account);
      settings.activeAccountId = id;
      return settings;
    });
    return account;
  }

  /** Signs a known account in with its application password; never asks for a one-time code. */
  async resume(accountId: string): Promise<PortalSession> {
    const account = this.deps.settings.get().accounts.find((a) => a.id === accountId);
    const appPassword = account ? await this.deps.vault.get(accountId, 'app-password') : null;
    if (!account || !appPassword) throw needsPassword();
    const deviceToken = await this.deps.vault.get(accountId, 'device-token');
    let outcome: Awaited<ReturnType<typeof postDesktopLogin>>;
    try {
      outcome = await postDesktopLogin(
        {
          origin: account.portal.origin,
          host: new URL(account.portal.origin).host,
          login: account.user.login,
          password: appPassword,
          renewAppPassword: false,
          ...(deviceToken ? { deviceToken } : {}),
        },
        this.deps,
      );
    } catch (error) {
      // A revoked application password: the user signs in again with the real one.
      if (error instanceof PortalError && error.code === 'WRONG_CREDENTIALS') throw needsPassword();
      throw error;
    }
    if (outcome.status === 'need-otp') throw needsPassword();
    const session = {
      origin: account.portal.origin,
      userId: outcome.answer.userId,
      cookies: outcome.cookies,
      sessid: outcome.answer.bitrixSessionId,
    };
    // Renamed since (or added before the portal told its name): the account list follows.
    void this.learnPortalName(accountId, session);
    return session;
  }

  private async learnPortalName(accountId: string, session: PortalSession): Promise<void> {
    const name = await this.portalName(session);
    const account = this.deps.settings.get().accounts.find((a) => a.id === accountId);
    if (!name || !account || account.portal.title === name) return;
    await this.deps.settings
      .update((settings) => ({
        ...settings,
        accounts: settings.accounts.map((a) =>
          a.id === accountId ? { ...a, portal: { ...a.portal, title: name } } : a,
        ),
      }))
      .catch(() => undefined);
  }

  /** `user.current` over the new session, for the name and picture the account list shows. */
  private async currentUser(session: PortalSession): Promise<{ name?: string; avatarUrl?: string } | undefined> {
    const result = (await this.sessionCall(session, 'user.current')) as
      | { NAME?: unknown; LAST_NAME?: unknown; PERSONAL_PHOTO?: unknown }
      | undefined;
    if (!result) return undefined;
    const name = [result.NAME, result.LAST_NAME].filter((p) => typeof p === 'string' && p).join(' ');
    const photo = result.PERSONAL_PHOTO;
    const avatarUrl = typeof photo === 'string' && photo ? absoluteHttpUrl(photo, session.origin) : undefined;
    return { ...(name ? { name } : {}), ...(avatarUrl ? { avatarUrl } : {}) };
  }

  /** The portal's own name (`portaldesk.portal.get`); undefined where the portal has no such method. */
  private async portalName(session: PortalSession): Promise<string | undefined> {
    const result = (await this.sessionCall(session, 'portaldesk.portal.get')) as { NAME?: unknown } | undefined;
    const name = typeof result?.NAME === 'string' ? result.NAME.trim().slice(0, 200) : '';
    return name || undefined;
  }

  /** A REST call with the fresh session; undefined when it fails (what it would add is optional). */
  private async sessionCall(session: PortalSession, method: string): Promise<unknown> {
    try {
      const response = await this.deps.fetch(`${session.origin}/rest/${method}.json`, {
        method: 'POST',
        headers: {
          cookie: `${SESSION_COOKIE}=${session.cookies.get(SESSION_COOKIE) ?? ''}`,
          [CSRF_HEADER]: session.sessid,
          'content-type': 'application/json',
        },
        body: '{}',
        signal: AbortSignal.timeout(10_000),
      });
      return ((await response.json()) as { result?: unknown }).result;
    } catch {
      return undefined;
    }
  }
}

/** Only an http(s) picture is kept: the list shows it in an `<img>`. */
function absoluteHttpUrl(value: string, origin: string): string | undefined {
  try {
    const url = new URL(value, origin);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function needsPassword(): PortalError {
  return new PortalError('ACCOUNT_NEEDS_PASSWORD', 'Sign in to this account again with your password.');
}

function newAccountId(): string {
  return randomBytes(8).toString('hex');
}
