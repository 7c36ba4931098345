/**
 * "Sign in with Network profile" from the desktop: the exchange, end to end.
 *
 * 1. The desktop (a native, public OAuth client `portaldesk-desktop`) listens on a free loopback
 *    port and opens the Network's `/oauth/authorize/?response_type=code&client_id=portaldesk-desktop
 *    &redirect_uri=http://127.0.0.1:<port>/callback&scope=openid portals&state=<random>
 *    &nonce=<random>&code_challenge=<S256 of a random verifier>&code_challenge_method=S256`.
 *    The registered redirect URI is `http://127.0.0.1/callback`; any port matches (RFC 8252 §7.3),
 *    the path must match exactly. The person signs in on the Network's page (password, then TOTP
 *    if enabled), or presses Continue when already signed in — never silently, so another local
 *    program cannot borrow the desktop's public client id (RFC 8252 §8.6).
 * 2. The Network redirects to the loopback URI with `code` (single use, ≤ 60 s), `state` and
 *    `iss` (RFC 9207). The desktop checks `state` equals what it sent and `iss` equals the
 *    Network it started with, and refuses the answer otherwise (these are client-side checks:
 *    the Network cannot know what the desktop sent).
 * 3. The desktop posts `grant_type=authorization_code, code, redirect_uri, client_id,
 *    code_verifier` to `/oauth/token/` and gets `{access_token, id_token, expires_in, expires,
 *    scope}`. It may check the ID token (audience `portaldesk-desktop`, its nonce).
 * 4. It calls the Network's REST `network.portal.list` (Bearer token) → `[{id, name, address,
 *    userId, userName, reachable}]` in the Bitrix24 envelope.
 * 5. For each portal the person chooses it calls `network.portal.assertion` with `PORTAL_ID` →
 *    `{assertion, address, expires_in}`: a JWT signed by the Network (ES256, key in the Network's
 *    JWKS), `typ` `portal-assertion+jwt`, `aud` = that portal's client id, `sub` = the profile,
 *    `portal_user_id` = the linked account there, valid 60 s. The Network issues it only for a
 *    portal the profile is linked to.
 * 6. The desktop posts it to that portal's `POST /network/desktop_login/` (form or JSON:
 *    `assertion`, `user_os_mark`, `user_account`). The portal (this module) verifies it against
 *    the Network it trusts — signature via JWKS, `iss`, `aud` = itself, `typ`, expiry — spends
 *    its `jti` (single use), and answers exactly like the desktop password sign-in: `{success,
 *    desktopRevision, userId, sessionId, bitrixSessionId, appPassword}` plus the `PHPSESSID`
 *    cookie. The application password is bound to `user_os_mark` + `user_account`, so the
 *    desktop reconnects to this portal later without the Network, signing in with the `login` the
 *    answer names.
 *
 * An assertion for portal A is refused by portal B (audience), a Network access token or ID
 * token is refused by every portal endpoint (`typ`, audience), and the portal sessions opened
 * this way are independent of the Network: signing out of the Network, or revoking the
 * desktop's Network token, leaves them open; the person ends them on the portal.
 */
import {
  DESKTOP_REVISION,
  type DesktopLoginFailure,
  NetworkDesktopLoginFormSchema,
  type NetworkDesktopLoginSuccess,
  PORTAL_ASSERTION_TYPE,
  SESSION_COOKIE,
} from '@portaldesk/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppPasswordService } from '../../auth/app-passwords/app-password-service.ts';
import { isSameOriginOrNone, SIGN_IN_BAD_REQUEST } from '../../auth/login/desktop-login-routes.ts';
import type { SessionService } from '../../auth/sessions/session-service.ts';
import { RestError } from '../../rest/rest-error.ts';
import { mergeParams } from '../../rest/rest-params-parser.ts';
import type { UserStore } from '../../users/user-store.ts';
import { NetworkTokenRejected, type NetworkTokenVerifier } from './network-token-verifier.ts';
import type { PortalNetworkTrustStore } from './portal-network-trust.ts';

export const NETWORK_DESKTOP_LOGIN_PATH = '/network/desktop_login/';

interface Dependencies {
  portalNetworkTrust: PortalNetworkTrustStore;
  networkTokenVerifier: NetworkTokenVerifier;
  users: UserStore;
  appPasswords: AppPasswordService;
  sessions: SessionService;
}

export async function networkDesktopLoginRoutes(app: FastifyInstance, context: Dependencies): Promise<void> {
  app.post(NETWORK_DESKTOP_LOGIN_PATH, { config: { badInputAnswer: SIGN_IN_BAD_REQUEST } }, (request, reply) =>
    desktopLogin(context, request, reply),
  );
}

async function desktopLogin(context: Dependencies, request: FastifyRequest, reply: FastifyReply) {
  const portal = request.portal;
  if (!portal) throw new RestError('NOT_FOUND', 'There is no portal at this address', 404);
  reply.header('cache-control', 'no-store');
  const refuse = (status: number, code: string) =>
    reply.status(status).send({ success: false, code } as DesktopLoginFailure | { success: false; code: string });
  // As with the password sign-in: no other site may sign a visitor in to an account it chose.
  if (!isSameOriginOrNone(request)) return refuse(403, 'bad_request');
  const form = NetworkDesktopLoginFormSchema.safeParse(mergeParams('', request.body));
  if (!form.success) return refuse(400, 'bad_request');
  const trust = await context.portalNetworkTrust.find(portal.id);
  if (!trust) return refuse(401, 'network_error');
  let portalUserId: number;
  try {
    ({ portalUserId } = await context.networkTokenVerifier.verify(trust, form.data.assertion, {
      type: PORTAL_ASSERTION_TYPE,
      singleUse: true,
    }));
  } catch (error) {
    if (!(error instanceof NetworkTokenRejected)) throw error;
    request.log.info({ portalId: portal.id, reason: error.code }, 'network sign-in refused');
    return refuse(401, error.code);
  }
  const user = await context.users.findById(portal.id, portalUserId);
  // What the application password signs in with later, as after a QR sign-in.
  const login = user?.active ? (user.username ?? user.email ?? user.phone) : null;
  if (!user || !login) return refuse(401, 'blocked_type');
  const binding = { osMark: form.data.user_os_mark ?? '', osAccount: form.data.user_account ?? '' };
  const appPassword = await context.appPasswords.issue(portal.id, user.id, binding);
  const session = await context.sessions.open({
    portalId: portal.id,
    userId: user.id,
    appPasswordId: appPassword.id,
    ip: request.ip,
    userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'].slice(0, 255) : null,
  });
  request.log.info({ portalId: portal.id, userId: user.id }, 'signed in through the Network');
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
  });
  const body: NetworkDesktopLoginSuccess = {
    success: true,
    desktopRevision: DESKTOP_REVISION,
    userId: user.id,
    sessionId: session.token,
    bitrixSessionId: session.sessid,
    appPassword: appPassword.password,
    login,
  };
  return reply.send(body);
}
