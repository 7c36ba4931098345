import type { FetchLike } from '@portaldesk/client';
import { DESKTOP_LOGIN_PATH, DesktopLoginAnswerSchema } from '@portaldesk/protocol';
import type { PortalSession } from '../session/portal-session.ts';

/** Why a sign-in did not go through, in the words the user sees (see `sign-in-messages.ts`). */
export type SignInFailure =
  /** Unknown login or wrong password: the same answer for both, so accounts cannot be probed. */
  'wrongCredentials' | 'wrongOtp' | 'tooManyAttempts' | 'deactivated' | 'network' | 'unexpected';

export type SignInOutcome<Session = PortalSession> =
  /** `session`: what the signed-in page keeps, e.g. the portal user and the session's `sessid`. */
  | { kind: 'signedIn'; session: Session }
  /** The password was right; the same form goes again with the one-time code. */
  | { kind: 'needOtp' }
  | { kind: 'failed'; reason: SignInFailure; retryAfterSeconds?: number };

export interface SignInForm {
  login: string;
  password: string;
  otp?: string;
}

/** `POST /desktop_app/login/` as Bitrix24 defines it: a form, answered with JSON. */
export async function signInWithPassword(fetch: FetchLike, form: SignInForm, baseUrl = ''): Promise<SignInOutcome> {
  const body = new URLSearchParams({ action: 'login', login: form.login, password: form.password, json: 'y' });
  if (form.otp) body.set('otp', form.otp);
  try {
    const response = await fetch(`${baseUrl}${DESKTOP_LOGIN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
      credentials: 'same-origin',
    });
    return classifySignInAnswer(response.status, await response.text(), response.headers.get('retry-after'));
  } catch {
    return { kind: 'failed', reason: 'network' };
  }
}

/** The outcome a sign-in answer means, by the shared contract (`@portaldesk/protocol`). */
export function classifySignInAnswer(status: number, bodyText: string, retryAfter: string | null): SignInOutcome {
  const answer = DesktopLoginAnswerSchema.safeParse(parseJson(bodyText));
  if (!answer.success) return { kind: 'failed', reason: status >= 500 ? 'network' : 'unexpected' };
  const body = answer.data;
  if (body.success) return { kind: 'signedIn', session: { userId: body.userId, sessid: body.bitrixSessionId } };
  // A wrong code comes back as `needOtp` again, with `wrong_otp`: still at the code step.
  if (body.needOtp && body.code !== 'wrong_otp') return { kind: 'needOtp' };
  switch (body.code) {
    case 'too_many_attempts':
      return { kind: 'failed', reason: 'tooManyAttempts', ...retryAfterSeconds(retryAfter) };
    case 'blocked_type':
      return { kind: 'failed', reason: 'deactivated' };
    case 'wrong_otp':
      return { kind: 'failed', reason: 'wrongOtp' };
    case 'bad_request':
      return { kind: 'failed', reason: 'unexpected' };
    case undefined:
      return status === 429
        ? { kind: 'failed', reason: 'tooManyAttempts', ...retryAfterSeconds(retryAfter) }
        : { kind: 'failed', reason: 'wrongCredentials' };
  }
}

export function retryAfterSeconds(header: string | null): { retryAfterSeconds?: number } {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? { retryAfterSeconds: Math.ceil(seconds) } : {};
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
