import { randomBytes } from 'node:crypto';
import {
  type OAuthConsentAction,
  type OAuthConsentDescription,
  type OAuthTokenAnswer,
  SESSION_COOKIE,
} from '@portaldesk/protocol';
import { hashPassword } from '../auth/password-hasher.ts';
import type { Portal } from '../portals/portal.ts';
import { pkceS256Challenge } from '../secrets/pkce.ts';
import { randomToken } from '../secrets/random-secret.ts';
import type { TestServer } from './test-server.ts';

export interface RegisteredApp {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export async function registerApp(
  server: TestServer,
  portal: Portal,
  scopes: readonly string[] = ['user'],
  redirectUri = 'https://app.example.com/callback',
): Promise<RegisteredApp> {
  const { app, clientSecret } = await server.context.oauthApps.register({
    portalId: portal.id,
    name: 'Test app',
    redirectUris: [redirectUri],
    scopes,
  });
  return { clientId: app.clientId, clientSecret, redirectUri };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomToken();
  return { verifier, challenge: pkceS256Challenge(verifier) };
}

/**
 * Runs `/oauth/authorize/` as the signed-in user's browser would, with the given request
 * headers (the session), and returns the redirect's parameters.
 */
export async function authorize(
  server: TestServer,
  portal: Portal,
  headers: Record<string, string>,
  query: Record<string, string>,
): Promise<{ status: number; location: URL | null; body: unknown }> {
  const url = `${server.portalUrl(portal.domain)}/oauth/authorize/?${new URLSearchParams(query)}`;
  const res = await server.fetch(url, { headers, redirect: 'manual' });
  const location = res.headers.get('location');
  const text = await res.text();
  return { status: res.status, location: location ? new URL(location) : null, body: text ? JSON.parse(text) : null };
}

/**
 * What the consent page does: `POST /oauth/authorize/` with the request and an action; `allow`
 * and `deny` carry the `sessid` a `describe` answered. `redirect`: where the browser goes next.
 */
export async function consentPage(
  server: TestServer,
  portal: Portal,
  headers: Record<string, string>,
  body: Record<string, string>,
): Promise<{ status: number; body: Partial<OAuthConsentDescription> & { error?: string }; redirect: URL | null }> {
  const res = await server.fetch(`${server.portalUrl(portal.domain)}/oauth/authorize/`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as Partial<OAuthConsentDescription> & { error?: string; redirect?: string };
  return { status: res.status, body: answer, redirect: answer.redirect ? new URL(answer.redirect) : null };
}

/** Presses Allow or Deny on the consent page as the signed-in user of `headers`. */
export async function answerConsent(
  server: TestServer,
  portal: Portal,
  headers: Record<string, string>,
  query: Record<string, string>,
  action: Exclude<OAuthConsentAction, 'describe'>,
): Promise<URL> {
  const described = await consentPage(server, portal, headers, { ...query, action: 'describe' });
  if (described.redirect) return described.redirect;
  const sessid = described.body.signedInAs?.sessid;
  if (!sessid) throw new Error(`the consent page shows no signed-in user: ${JSON.stringify(described.body)}`);
  const decided = await consentPage(server, portal, headers, { ...query, action, sessid });
  if (!decided.redirect) throw new Error(`no redirect after ${action}: ${JSON.stringify(decided.body)}`);
  return decided.redirect;
}

/** {@link authorize} as the user's browser ends it: where the app gets the code, allowing it when asked. */
export async function authorizeAllowing(
  server: TestServer,
  portal: Portal,
  headers: Record<string, string>,
  query: Record<string, string>,
): Promise<URL> {
  const answer = await authorize(server, portal, headers, query);
  if (answer.location) return answer.location;
  if ((answer.body as { error?: string } | null)?.error !== 'consent_required') {
    throw new Error(`authorize answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answerConsent(server, portal, headers, query, 'allow');
}

export async function requestToken(
  server: TestServer,
  portal: Portal,
  params: Record<string, string>,
  method: 'GET' | 'POST' = 'POST',
): Promise<{ status: number; body: OAuthTokenAnswer & { error?: string; error_description?: string } }> {
  const base = `${server.portalUrl(portal.domain)}/oauth/token/`;
  const form = new URLSearchParams(params).toString();
  const res =
    method === 'GET'
      ? await server.fetch(`${base}?${form}`)
      : await server.fetch(base, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
        });
  return { status: res.status, body: (await res.json()) as OAuthTokenAnswer };
}

/**
 * Signs `userId` in on the portal through the desktop password sign-in, as a person would, and
 * returns the headers of that browser session (its session cookie).
 */
export async function signIn(server: TestServer, portal: Portal, userId: number): Promise<Record<string, string>> {
  return (await openSession(server, portal, userId)).headers;
}

/** {@link signIn}, also giving the session's `sessid` (the CSRF token of state-changing calls). */
export async function openSession(
  server: TestServer,
  portal: Portal,
  userId: number,
): Promise<{ headers: Record<string, string>; sessid: string }> {
  const user = await server.context.users.findById(portal.id, userId);
  if (!user?.email) throw new Error('signIn needs a user with an e-mail address');
  const password = randomBytes(12).toString('base64url');
  await server.context.users.setPasswordHash(portal.id, userId, await hashPassword(password));
  const res = await server.fetch(`${server.portalUrl(portal.domain)}/desktop_app/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action: 'login', login: user.email, password, json: 'y' }).toString(),
  });
  const body = (await res.json()) as { success: boolean; sessionId?: string; bitrixSessionId?: string };
  if (!body.success || !body.sessionId || !body.bitrixSessionId) throw new Error(`sign-in failed: ${res.status}`);
  return { headers: { cookie: `${SESSION_COOKIE}=${body.sessionId}` }, sessid: body.bitrixSessionId };
}
