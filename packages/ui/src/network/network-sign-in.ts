import type { FetchLike } from '@portaldesk/client';
import { NETWORK_LOGIN_PATH, NetworkSignInAnswerSchema } from '@portaldesk/protocol';
import { parseJson, retryAfterSeconds, type SignInForm, type SignInOutcome } from '../auth/password-sign-in.ts';

/** Who is signed in on the Network in this browser, and the CSRF token of that session. */
export interface NetworkSession {
  profileId: string;
  sessid: string;
}

/**
 * `POST /network/login/` in JSON (the Network refuses forms, so no other site can sign a browser
 * in). The answers have the portal sign-in's kinds, and an unknown login and a wrong password
 * get the same one.
 */
export async function signInToNetwork(
  fetch: FetchLike,
  form: SignInForm,
  baseUrl = '',
): Promise<SignInOutcome<NetworkSession>> {
  try {
    const response = await fetch(`${baseUrl}${NETWORK_LOGIN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(form),
      credentials: 'same-origin',
    });
    return classifyNetworkSignInAnswer(response.status, await response.text(), response.headers.get('retry-after'));
  } catch {
    return { kind: 'failed', reason: 'network' };
  }
}

export function classifyNetworkSignInAnswer(
  status: number,
  bodyText: string,
  retryAfter: string | null,
): SignInOutcome<NetworkSession> {
  const answer = NetworkSignInAnswerSchema.safeParse(parseJson(bodyText));
  if (!answer.success) return { kind: 'failed', reason: status >= 500 ? 'network' : 'unexpected' };
  const body = answer.data;
  if (body.success) return { kind: 'signedIn', session: { profileId: body.profileId, sessid: body.sessid } };
  if (body.needOtp) return { kind: 'needOtp' };
  if (status === 429 || body.code === 'too_many_attempts') {
    return { kind: 'failed', reason: 'tooManyAttempts', ...retryAfterSeconds(retryAfter) };
  }
  return { kind: 'failed', reason: 'wrongCredentials' };
}
