import { DESKTOP_NETWORK_CLIENT_ID } from '@portaldesk/protocol';
import type { Response } from 'undici';
import { hashPassword } from '../../auth/password-hasher.ts';
import type { Portal } from '../../portals/portal.ts';
import { pkcePair } from '../../testing/oauth-fixtures.ts';
import type { TestServer } from '../../testing/test-server.ts';
import { inviteUserToNetwork } from '../portal-side/invite-to-network.ts';
import type { Profile } from '../profiles/profile.ts';

/** Helpers for tests that drive the Network over HTTP the way a browser or the desktop would. */

export function networkUrl(server: TestServer): string {
  return server.portalUrl('network.localhost');
}

export async function createProfile(
  server: TestServer,
  input: { email?: string; phone?: string; password: string; displayName?: string; verified?: boolean },
): Promise<Profile> {
  const profile = await server.context.network.profiles.create({
    email: input.email ?? null,
    phone: input.phone ?? null,
    displayName: input.displayName ?? 'Test Person',
    passwordHash: await hashPassword(input.password),
  });
  if (input.verified && input.email) {
    await server.context.network.profiles.markEmailVerified(profile.id, input.email, new Date());
    return { ...profile, emailVerified: true };
  }
  return profile;
}

export { pkcePair };

/** A minimal cookie jar: name → value, fed from Set-Cookie headers. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', ...rest] = pair.split('=');
      const value = rest.join('=');
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export interface AuthorizeRequest {
  clientId?: string;
  redirectUri: string;
  state?: string;
  nonce?: string;
  scope?: string;
  challenge?: string;
  challengeMethod?: string;
}

export function authorizeQuery(request: AuthorizeRequest): URLSearchParams {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: request.clientId ?? DESKTOP_NETWORK_CLIENT_ID,
    redirect_uri: request.redirectUri,
    scope: request.scope ?? 'openid portals',
    code_challenge_method: request.challengeMethod ?? 'S256',
  });
  if (request.challenge !== undefined) query.set('code_challenge', request.challenge);
  if (request.state !== undefined) query.set('state', request.state);
  if (request.nonce !== undefined) query.set('nonce', request.nonce);
  return query;
}

/**
 * Opens `/oauth/authorize/`, signs in on the page and returns where the Network sends the
 * browser back to (the `Location` of the answer), plus the answer itself.
 */
export async function signInAndAuthorize(
  server: TestServer,
  request: AuthorizeRequest,
  credentials: { login: string; password: string; otp?: string },
  jar = new CookieJar(),
): Promise<{ response: Response; location: URL | null; jar: CookieJar }> {
  return signInAt(server, `${networkUrl(server)}/oauth/authorize/?${authorizeQuery(request)}`, credentials, jar);
}

/**
 * Does what the Network's page does at an authorization URL: opens it, signs in with
 * `POST /network/login/` and, when signed in, consents. Answers the last response and where the
 * page would send the browser next (`location`), or null when it stayed on the page.
 */
export async function signInAt(
  server: TestServer,
  authorizeUrl: string,
  credentials: { login: string; password: string; otp?: string },
  jar = new CookieJar(),
): Promise<{ response: Response; location: URL | null; jar: CookieJar }> {
  const page = await server.fetch(authorizeUrl, { headers: { cookie: jar.header() }, redirect: 'manual' });
  jar.take(page);
  const early = page.headers.get('location');
  if (early) return { response: page, location: new URL(early), jar };
  await page.body?.cancel();
  const login = await server.fetch(`${networkUrl(server)}/network/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: jar.header() },
    body: JSON.stringify(credentials),
  });
  jar.take(login);
  if (login.status !== 200) return { response: login, location: null, jar };
  const { sessid } = (await login.json()) as { sessid: string };
  return consentAt(server, authorizeUrl, sessid, jar);
}

/** Presses Continue on the Network's page for a profile already signed in there. */
export async function consentAt(
  server: TestServer,
  authorizeUrl: string,
  sessid: string,
  jar: CookieJar,
): Promise<{ response: Response; location: URL | null; jar: CookieJar }> {
  const request = Object.fromEntries(new URL(authorizeUrl).searchParams);
  const response = await server.fetch(`${networkUrl(server)}/oauth/authorize/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: jar.header() },
    body: JSON.stringify({ ...request, action: 'consent', sessid }),
  });
  jar.take(response);
  const body = (await response.clone().json()) as { redirect?: string };
  return { response, location: body.redirect ? new URL(body.redirect) : null, jar };
}

/** Exchanges a code at the token endpoint as the desktop (a public client) does. */
export function exchangeCode(
  server: TestServer,
  input: { code: string; redirectUri: string; verifier?: string; clientId?: string; clientSecret?: string },
): Promise<Response> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: input.code,
    redirect_uri: input.redirectUri,
    client_id: input.clientId ?? DESKTOP_NETWORK_CLIENT_ID,
  });
  if (input.verifier !== undefined) body.set('code_verifier', input.verifier);
  if (input.clientSecret !== undefined) body.set('client_secret', input.clientSecret);
  return server.fetch(`${networkUrl(server)}/oauth/token/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
}

/** A Network REST call with a bearer token. */
export async function networkRest(
  server: TestServer,
  method: string,
  token: string,
  params: Record<string, unknown> = {},
): Promise<{ status: number; body: { result?: unknown; error?: string; error_description?: string } }> {
  const response = await server.fetch(`${networkUrl(server)}/rest/${method}.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as never };
}

/** Asserts nothing in the server's logs contains any of the given secrets. */
export function logsContainAny(server: TestServer, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => secret.length > 0 && server.logs.some((line) => line.includes(secret)));
}

/** The whole desktop sign-in: authorize with PKCE on a loopback port, exchange, return the token. */
export async function desktopNetworkToken(
  server: TestServer,
  credentials: { login: string; password: string },
): Promise<string> {
  const pkce = pkcePair();
  const redirectUri = 'http://127.0.0.1:47001/callback';
  const { location } = await signInAndAuthorize(
    server,
    { redirectUri, challenge: pkce.challenge, state: 's' },
    credentials,
  );
  const code = location?.searchParams.get('code');
  if (!code) throw new Error(`no code: ${location}`);
  const res = await exchangeCode(server, { code, redirectUri, verifier: pkce.verifier });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** The secret token in the last mail of `kind` sent to `recipient`. */
export async function mailedToken(server: TestServer, recipient: string, kind: string): Promise<string> {
  const mails = (await server.context.network.outbox.sentTo(recipient)).filter((m) => m.kind === kind);
  const link = mails.at(-1)?.link;
  const token = link ? new URL(link).searchParams.get('token') : null;
  if (!token) throw new Error(`no ${kind} mail for ${recipient}`);
  return token;
}

/**
 * Links a portal account to a profile the way people do: the portal invites, the profile's
 * verified e-mail receives the token, the signed-in profile accepts it.
 */
export async function linkByInvitation(
  server: TestServer,
  input: { portal: Portal; userId: number; email: string; profileToken: string },
): Promise<string> {
  await inviteUserToNetwork(server.context, input.portal, input.userId);
  const token = await mailedToken(server, input.email, 'portal-invitation');
  const { status, body } = await networkRest(server, 'network.link.accept', input.profileToken, { TOKEN: token });
  if (status !== 200) throw new Error(`link refused: ${JSON.stringify(body)}`);
  return (body.result as { PORTAL_ID: string }).PORTAL_ID;
}
