import {
  OAUTH_CONSENT_ACTIONS,
  type OAuthConsentAction,
  type OAuthConsentDescription,
  type OAuthConsentRedirect,
} from '@portaldesk/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SessionService, type ValidSession } from '../auth/sessions/session-service.ts';
import type { Clock } from '../clock/clock.ts';
import type { Portal } from '../portals/portal.ts';
import type { User } from '../users/user.ts';
import { fullName } from '../users/user.ts';
import type { UserStore } from '../users/user-store.ts';
import type { BuiltPage } from '../web/built-page.ts';
import { answerToApp, type ValidAuthorization, validateAuthorization } from './authorization-request.ts';
import type { OAuthAppStore } from './oauth-app-store.ts';
import type { OAuthConsentStore } from './oauth-consent-store.ts';
import { answeringOAuthErrors, OAuthError } from './oauth-error.ts';
import type { OAuthGrantStore } from './oauth-grant-store.ts';

export interface AuthorizeContext {
  oauthApps: OAuthAppStore;
  oauthGrants: OAuthGrantStore;
  oauthConsents: OAuthConsentStore;
  users: UserStore;
  sessions: SessionService;
  clock: Clock;
}

interface SignedIn {
  session: ValidSession;
  user: User;
}

/**
 * `/oauth/authorize/` of the portal. The first time a user meets an application, and whenever
 * it asks for more than they allowed before, the consent page (`packages/ui`, entry
 * `oauth/authorize.html`) shows who asks for what, on which portal, with Allow and Deny; the
 * answer is remembered per user, application and scopes. A browser gets that page (it signs in
 * first when nobody is); any other client gets the JSON error it would otherwise see.
 *
 * The page talks to `POST /oauth/authorize/` in JSON only, with the request's parameters and an
 * `action` (see `OAuthConsentDescriptionSchema`); allowing and denying need the session's
 * `sessid`, so a page of another site cannot answer for the user.
 */
export async function authorizeRoutes(app: FastifyInstance, context: AuthorizeContext, page: BuiltPage) {
  app.get('/oauth/authorize', (request, reply) =>
    answeringOAuthErrors(reply, () => showAuthorization(context, page, request, reply)),
  );
  app.post('/oauth/authorize', (request, reply) =>
    answeringOAuthErrors(reply, () => answerConsentPage(context, request, reply)),
  );
}

async function showAuthorization(
  context: AuthorizeContext,
  page: BuiltPage,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  reply.header('cache-control', 'no-store');
  const browser = (request.headers.accept ?? '').includes('text/html');
  let valid: ValidAuthorization;
  try {
    valid = await validateAuthorization(context.oauthApps, requirePortal(request), request.query);
  } catch (error) {
    // The page asks again and shows the refusal in the portal's own look.
    if (browser && error instanceof OAuthError) return page.send(reply, error.status);
    throw error;
  }
  const signedIn = await signedInUser(context, request);
  if (signedIn && (await alreadyAllowed(context, valid, signedIn))) {
    return sendToApp(reply, await codeRedirect(context, valid, signedIn, request.host));
  }
  if (browser) return page.send(reply);
  if (!signedIn) return reply.status(401).send({ error: 'login_required', error_description: 'Sign in first' });
  return reply.status(403).send({
    error: 'consent_required',
    error_description: 'The user has not allowed this application yet; open this address in a browser',
  });
}

async function answerConsentPage(context: AuthorizeContext, request: FastifyRequest, reply: FastifyReply) {
  reply.header('cache-control', 'no-store');
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return reply.status(415).send({ error: 'invalid_request', error_description: 'Send the request as JSON' });
  }
  const params = body as Record<string, unknown>;
  const action = OAUTH_CONSENT_ACTIONS.find((a) => a === params.action);
  if (action === undefined) {
    throw new OAuthError('invalid_request', `action is one of: ${OAUTH_CONSENT_ACTIONS.join(', ')}`);
  }
  const valid = await validateAuthorization(context.oauthApps, requirePortal(request), params);
  const signedIn = await signedInUser(context, request);
  if (action === 'describe') {
    if (signedIn && (await alreadyAllowed(context, valid, signedIn))) {
      return redirectAnswer(reply, await codeRedirect(context, valid, signedIn, request.host));
    }
    return reply.send(await describe(context, valid, signedIn));
  }
  const sessid = typeof params.sessid === 'string' ? params.sessid : undefined;
  if (!signedIn || !SessionService.sessidMatches(signedIn.session, sessid)) {
    return reply.status(403).send({ error: 'INVALID_CSRF', error_description: 'Reload the page and try again' });
  }
  return redirectAnswer(reply, await decide(context, valid, signedIn, action, request.host));
}

async function decide(
  context: AuthorizeContext,
  valid: ValidAuthorization,
  signedIn: SignedIn,
  action: Exclude<OAuthConsentAction, 'describe'>,
  host: string,
): Promise<string> {
  if (action === 'deny') return answerToApp(valid, host, { error: 'access_denied' });
  await context.oauthConsents.allow({
    portalId: valid.portal.id,
    appId: valid.app.id,
    userId: signedIn.user.id,
    scopes: valid.scopes,
    at: context.clock.now(),
  });
  return codeRedirect(context, valid, signedIn, host);
}

async function describe(
  context: AuthorizeContext,
  valid: ValidAuthorization,
  signedIn: SignedIn | null,
): Promise<OAuthConsentDescription> {
  const allowedBefore = signedIn
    ? await context.oauthConsents.allowedScopes(valid.portal.id, valid.app.id, signedIn.user.id)
    : [];
  return {
    app: { name: valid.app.name, clientId: valid.app.clientId },
    portal: { name: valid.portal.name, address: valid.portal.domain },
    scopes: valid.scopes,
    allowedBefore: allowedBefore.filter((scope) => valid.scopes.includes(scope)),
    signedInAs: signedIn ? { name: fullName(signedIn.user), sessid: signedIn.session.sessid } : null,
  };
}

async function alreadyAllowed(context: AuthorizeContext, valid: ValidAuthorization, signedIn: SignedIn) {
  const allowed = await context.oauthConsents.allowedScopes(valid.portal.id, valid.app.id, signedIn.user.id);
  return valid.scopes.every((scope) => allowed.includes(scope));
}

async function codeRedirect(context: AuthorizeContext, valid: ValidAuthorization, signedIn: SignedIn, host: string) {
  const code = await context.oauthGrants.issueCode({
    portalId: valid.portal.id,
    app: valid.app,
    userId: signedIn.user.id,
    scopes: valid.scopes,
    redirectUri: valid.request.redirect_uri ?? null,
    codeChallenge: valid.request.code_challenge ?? null,
  });
  return answerToApp(valid, host, { code });
}

async function signedInUser(context: AuthorizeContext, request: FastifyRequest): Promise<SignedIn | null> {
  const session = await context.sessions.fromRequest(request);
  if (!session) return null;
  const user = await context.users.findById(session.portalId, session.userId);
  return user?.active ? { session, user } : null;
}

function sendToApp(reply: FastifyReply, location: string) {
  return reply.header('referrer-policy', 'no-referrer').redirect(location, 302);
}

function redirectAnswer(reply: FastifyReply, redirect: string) {
  return reply.send({ redirect } satisfies OAuthConsentRedirect);
}

export function requirePortal(request: FastifyRequest): Portal {
  if (!request.portal) throw new OAuthError('invalid_request', 'There is no portal at this address');
  return request.portal;
}
