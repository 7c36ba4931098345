import {
  DESKTOP_LOGIN_PATH,
  DEVICE_COOKIE,
  type DesktopLoginAnswer,
  DesktopLoginAnswerSchema,
  type DesktopLoginSuccess,
} from '@portaldesk/protocol';
import type { DesktopFetch } from './desktop-http-client.ts';
import { hasNetwork } from './network-status.ts';
import { connectionError, PortalError } from './portal-errors.ts';

/** Which desktop this is, as the portal binds an application password to it. */
export interface DesktopIdentity {
  /** Identifies the machine (`user_os_mark`). */
  osMark: string;
  /** Identifies the OS user (`user_account`). */
  osAccount: string;
}

export interface SignInRequest {
  origin: string;
  host: string;
  login: string;
  /** The account password, or the application password this desktop was given. */
  password: string;
  otp?: string;
  /** Ask for a new application password (on a sign-in with the real password). */
  renewAppPassword: boolean;
  /** The portal's known-device cookie from an earlier sign-in, if any. */
  deviceToken?: string;
}

export type SignInOutcome =
  | { status: 'signed-in'; answer: DesktopLoginSuccess; cookies: Map<string, string> }
  | { status: 'need-otp' };

export interface SignInDependencies {
  fetch: DesktopFetch;
  identity: DesktopIdentity;
  online?: () => boolean;
}

/** `POST /desktop_app/login/`, Bitrix24's desktop password sign-in, with its answers made typed. */
export async function postDesktopLogin(
  request: SignInRequest,
  dependencies: SignInDependencies,
): Promise<SignInOutcome> {
  const form = new URLSearchParams({
    action: 'login',
    login: request.login,
    password: request.password,
    user_os_mark: dependencies.identity.osMark,
    user_account: dependencies.identity.osAccount,
    json: 'y',
  });
  if (request.otp) form.set('otp', request.otp);
  if (request.renewAppPassword) form.set('renew_password', 'y');
  let response: Awaited<ReturnType<DesktopFetch>>;
  try {
    response = await dependencies.fetch(`${request.origin}${DESKTOP_LOGIN_PATH}`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: request.deviceToken ? { cookie: `${DEVICE_COOKIE}=${request.deviceToken}` } : {},
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw connectionError(error, request.host, (dependencies.online ?? hasNetwork)());
  }
  const answer = parseAnswer(await response.text().catch(() => ''));
  if (!answer) throw new PortalError('NOT_A_PORTAL', `${request.host} did not answer as a Bitrix24 portal does.`);
  if (answer.success) return { status: 'signed-in', answer, cookies: cookiesOf(response.headers.getSetCookie()) };
  if (answer.needOtp) {
    if (request.otp) throw new PortalError('WRONG_OTP', 'The code is not right. Enter the current code from your app.');
    return { status: 'need-otp' };
  }
  switch (answer.code) {
    case 'wrong_otp':
      throw new PortalError('WRONG_OTP', 'The code is not right. Enter the current code from your app.');
    case 'blocked_type':
      throw new PortalError('ACCOUNT_BLOCKED', 'This account is deactivated. Ask your administrator.');
    case 'too_many_attempts': {
      const wait = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
      const seconds = Number.isFinite(wait) && wait > 0 ? wait : 60;
      throw new PortalError('TOO_MANY_ATTEMPTS', `Too many attempts. Try again in ${seconds} seconds.`, seconds);
    }
    case 'bad_request':
      throw new PortalError('SIGN_IN_REFUSED', 'The portal refused the sign-in request.');
    default:
      throw new PortalError('WRONG_CREDENTIALS', 'The login or the password is not right.');
  }
}

function parseAnswer(text: string): DesktopLoginAnswer | undefined {
  try {
    const parsed = DesktopLoginAnswerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function cookiesOf(setCookies: string[]): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const line of setCookies) {
    const pair = line.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return cookies;
}
