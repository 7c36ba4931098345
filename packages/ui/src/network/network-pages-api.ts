import {
  NETWORK_LOGOUT_PATH,
  type NetworkAuthorizeDescription,
  NetworkAuthorizeDescriptionSchema,
  NetworkAuthorizeRedirectSchema,
  NetworkSignInSuccessSchema,
} from '@portaldesk/protocol';
import type { NetworkSession } from './network-sign-in.ts';

/**
 * What the Network's pages ask the Network besides REST: the session of this browser, the
 * authorization request the page was opened for, consent, and sign-out. Same origin only.
 */

export async function currentNetworkSession(): Promise<NetworkSession | null> {
  const response = await fetch('/network/session/', {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  // The body is read either way: an unread body keeps the request open in the browser.
  const body: unknown = await response.json().catch(() => null);
  if (response.status !== 200) return null;
  const parsed = NetworkSignInSuccessSchema.safeParse(body);
  return parsed.success ? { profileId: parsed.data.profileId, sessid: parsed.data.sessid } : null;
}

export type AuthorizationView =
  | { kind: 'ask'; description: NetworkAuthorizeDescription }
  | { kind: 'go'; redirect: string }
  | { kind: 'problem'; message: string };

/** `params`: the authorization request, as the page's own query string carries it. */
export async function describeAuthorization(params: URLSearchParams): Promise<AuthorizationView> {
  const body = await postAuthorize({ ...Object.fromEntries(params), action: 'describe' });
  const description = NetworkAuthorizeDescriptionSchema.safeParse(body.json);
  if (description.success) return { kind: 'ask', description: description.data };
  const redirect = NetworkAuthorizeRedirectSchema.safeParse(body.json);
  if (redirect.success) return { kind: 'go', redirect: redirect.data.redirect };
  return { kind: 'problem', message: problemOf(body.json) };
}

/** Continue: answers where the browser goes next (the app's redirect URI, with the code). */
export async function consentToAuthorization(params: URLSearchParams, sessid: string): Promise<string> {
  const body = await postAuthorize({ ...Object.fromEntries(params), action: 'consent', sessid });
  const redirect = NetworkAuthorizeRedirectSchema.safeParse(body.json);
  if (!redirect.success) throw new Error(problemOf(body.json));
  return redirect.data.redirect;
}

export async function signOutOfNetwork(sessid: string): Promise<void> {
  const response = await fetch(NETWORK_LOGOUT_PATH, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sessid }),
  });
  await response.text();
}

async function postAuthorize(body: Record<string, string>): Promise<{ status: number; json: unknown }> {
  const response = await fetch('/oauth/authorize/', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

function problemOf(json: unknown): string {
  const description = (json as { error_description?: unknown } | null)?.error_description;
  return typeof description === 'string' ? description : 'The Network could not go on with this request.';
}
