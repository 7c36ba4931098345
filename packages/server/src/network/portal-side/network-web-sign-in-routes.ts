import {
  AFTER_SIGN_IN_PARAM,
  NETWORK_AVAILABILITY_PATH,
  NETWORK_LINK_PATH,
  NETWORK_SIGN_IN_PATH,
  NETWORK_WEB_SESSION_PATH,
  NetworkTokenResponseSchema,
  type PortalNetworkAvailability,
  type PortalWebSession,
  SESSION_COOKIE,
} from '@portaldesk/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionService } from '../../auth/sessions/session-service.ts';
import type { Portal } from '../../portals/portal.ts';
import { RestError } from '../../rest/rest-error.ts';
import { parseQueryParams } from '../../rest/rest-params-parser.ts';
import { pkceS256Challenge } from '../../secrets/pkce.ts';
import { randomToken } from '../../secrets/random-secret.ts';
import { secretsEqual } from '../../secrets/secret-comparison.ts';
import { fullName, type User } from '../../users/user.ts';
import type { UserStore } from '../../users/user-store.ts';
import { PORTAL_CALLBACK_PATH } from '../clients/network-client-store.ts';
import type { NetworkBackChannel } from './network-back-channel.ts';
import { NetworkTokenRejected, type NetworkTokenVerifier } from './network-token-verifier.ts';
import type { PortalNetworkTrust, PortalNetworkTrustStore } from './portal-network-trust.ts';

/** The sign-in in progress: state, nonce and PKCE verifier, only ever in this HttpOnly cookie. */
const FLOW_COOKIE = 'PD_NETWORK_SIGNIN';
const FLOW_MAX_AGE_SECONDS = 600;

/**
 * "Sign in with Network profile" on a portal's web pages, as an OAuth client of the Network:
 * `GET /network/signin` starts it (state, nonce, PKCE S256), `GET /network/callback` finishes it
 * — it checks `state` against the cookie (RFC 6749 §10.12) and `iss` against the trusted Network
 * (RFC 9207) before anything else, exchanges the code over the back channel with the portal's
 * client secret and the verifier, verifies the ID token (signature via JWKS, `iss`, `aud` = this
 * portal, expiry, nonce) and opens a portal session for the linked user it names.
 *
 * `GET /network/available` tells the portal's sign-in page whether to offer the Network, and
 * `GET /network/session` tells the page the session a Network sign-in opened (its `sessid`,
 * which only a same-origin script can read).
 *
 * `GET /network/link` is the same dance for a person already signed in to this portal: the
 * Network asks them to sign in there and confirm (`link` scope), and the portal, in the code
 * exchange, names the account of its own session — so a link needs proof on both sides.
 */
interface Dependencies {
  portalNetworkTrust: PortalNetworkTrustStore;
  networkTokenVerifier: NetworkTokenVerifier;
  networkBackChannel: NetworkBackChannel;
  users: UserStore;
  sessions: SessionService;
}

export async function networkWebSignInRoutes(app: FastifyInstance, context: Dependencies): Promise<void> {
  app.get(NETWORK_AVAILABILITY_PATH, async (request, reply) => {
    const trust = request.portal ? await context.portalNetworkTrust.find(request.portal.id) : null;
    const answer: PortalNetworkAvailability = { available: trust !== null };
    return reply.header('cache-control', 'no-store').send(answer);
  });
  app.get(NETWORK_WEB_SESSION_PATH, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const session = await context.sessions.fromRequest(request);
    if (!session) throw new RestError('NO_AUTH_FOUND', 'Wrong authorization data', 401);
    const answer: PortalWebSession = { userId: session.userId, sessid: session.sessid };
    return reply.send(answer);
  });
  app.get(NETWORK_SIGN_IN_PATH, (request, reply) => start(context, request, reply, 'signin'));
  app.get(NETWORK_LINK_PATH, (request, reply) => start(context, request, reply, 'link'));
  app.get(PORTAL_CALLBACK_PATH, (request, reply) => callback(context, request, reply));
}

async function trustOf(context: Dependencies, portal: Portal | null): Promise<PortalNetworkTrust> {
  if (!portal) throw new RestError('NOT_FOUND', 'There is no portal at this address', 404);
  const trust = await context.portalNetworkTrust.find(portal.id);
  if (!trust) throw new RestError('NOT_FOUND', 'This portal does not use a Network', 404);
  return trust;
}

function callbackUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host}${PORTAL_CALLBACK_PATH}`;
}

type FlowMode = 'signin' | 'link';

async function start(context: Dependencies, request: FastifyRequest, reply: FastifyReply, mode: FlowMode) {
  const trust = await trustOf(context, request.portal);
  if (mode === 'link' && !(await context.sessions.fromRequest(request))) {
    // The portal's page signs the person in first, then comes back here.
    return reply.header('cache-control', 'no-store').redirect(`/?${AFTER_SIGN_IN_PARAM}=network-link`, 303);
  }
  const flow = { state: randomToken(), nonce: randomToken(), verifier: randomToken() };
  reply.setCookie(FLOW_COOKIE, `${flow.state}.${flow.nonce}.${flow.verifier}.${mode}`, {
    path: '/network/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    maxAge: FLOW_MAX_AGE_SECONDS,
  });
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: trust.clientId,
    redirect_uri: callbackUrl(request),
    scope: mode === 'link' ? 'openid link' : 'openid',
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: pkceS256Challenge(flow.verifier),
    code_challenge_method: 'S256',
  });
  return reply.header('cache-control', 'no-store').redirect(`${trust.issuer}/oauth/authorize/?${query}`, 303);
}

async function callback(context: Dependencies, request: FastifyRequest, reply: FastifyReply) {
  const portal = request.portal;
  const trust = await trustOf(context, portal);
  reply.header('cache-control', 'no-store');
  const [state = '', nonce = '', verifier = '', mode = ''] = (request.cookies[FLOW_COOKIE] ?? '').split('.');
  reply.clearCookie(FLOW_COOKIE, { path: '/network/' });
  const query = parseQueryParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
  const given = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : '');
  if (!state || !given('state') || !secretsEqual(given('state'), state)) {
    throw new RestError('INVALID_REQUEST', 'This sign-in was not started here, or it has expired (state mismatch)');
  }
  if (given('iss') !== trust.issuer) {
    throw new RestError('INVALID_REQUEST', 'The answer did not come from the Network this portal trusts (iss)');
  }
  if (given('error') || !given('code')) {
    throw new RestError('ACCESS_DENIED', 'The Network did not sign you in to this portal');
  }
  const linking = mode === 'link' ? await linkingUser(context, request) : null;
  const exchange = await context.networkBackChannel.call(
    trust,
    '/oauth/token/',
    new URLSearchParams({
      grant_type: 'authorization_code',
      code: given('code'),
      redirect_uri: callbackUrl(request),
      code_verifier: verifier,
      ...(linking
        ? { portal_user_id: String(linking.id), portal_user_name: fullName(linking) || linking.email || '' }
        : {}),
    }),
  );
  const tokens = NetworkTokenResponseSchema.safeParse(exchange.json);
  if (exchange.status !== 200 || !tokens.success) {
    throw new RestError('ACCESS_DENIED', 'The Network refused the sign-in');
  }
  let portalUserId: number;
  try {
    ({ portalUserId } = await context.networkTokenVerifier.verify(trust, tokens.data.id_token, { type: 'JWT', nonce }));
  } catch (error) {
    if (error instanceof NetworkTokenRejected)
      throw new RestError('ACCESS_DENIED', 'The Network sign-in is not valid here');
    throw error;
  }
  if (linking) {
    if (portalUserId !== linking.id) throw new RestError('ACCESS_DENIED', 'The Network linked another account');
    request.log.info({ portalId: linking.portalId, userId: linking.id }, 'account linked to a Network profile');
    // Back to the profile page, which now lists this portal.
    return reply.redirect(`${trust.issuer}/`, 303);
  }
  const user = portal ? await context.users.findById(portal.id, portalUserId) : null;
  if (!portal || !user?.active) throw new RestError('ACCESS_DENIED', 'That account cannot sign in');
  const session = await context.sessions.open({
    portalId: portal.id,
    userId: user.id,
    appPasswordId: null,
    ip: request.ip,
    userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'].slice(0, 255) : null,
  });
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
  });
  return reply.redirect('/', 303);
}

/** The account signed in on this portal, which a link flow links. */
async function linkingUser(context: Dependencies, request: FastifyRequest): Promise<User> {
  const session = await context.sessions.fromRequest(request);
  const user = session && request.portal ? await context.users.findById(request.portal.id, session.userId) : null;
  if (!user?.active) throw new RestError('NO_AUTH_FOUND', 'Sign in to this portal to link your account', 401);
  return user;
}
