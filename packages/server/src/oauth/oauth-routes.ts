import {
  AuthorizeRequestSchema,
  type OAuthTokenAnswer,
  type TokenRequest,
  TokenRequestSchema,
} from '@portaldesk/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/app-context.ts';
import type { Portal } from '../portals/portal.ts';
import { mergeParams } from '../rest/rest-params-parser.ts';
import type { OAuthApp } from './oauth-app-store.ts';
import { OAuthError } from './oauth-error.ts';
import { type IssuedTokens, OAUTH_LIFETIMES } from './oauth-grant-store.ts';

/** `app.info` STATUS of an application registered on the portal itself. */
const LOCAL_APP_STATUS = 'L';

type OAuthContext = Pick<AppContext, 'oauthApps' | 'oauthGrants' | 'users' | 'signedInUserId' | 'oauthTokenLimiter'>;

/** The portal's own authorization server: `/oauth/authorize/` and `/oauth/token/`. */
export async function oauthRoutes(app: FastifyInstance, context: OAuthContext): Promise<void> {
  app.get('/oauth/authorize', (request, reply) => answer(reply, () => authorize(context, request, reply)));
  app.route({
    method: ['GET', 'POST'],
    url: '/oauth/token',
    config: { badInputAnswer: new OAuthError('invalid_request', 'The request is malformed').toJSON() },
    handler: (request, reply) => answer(reply, () => token(context, request, reply)),
  });
}

async function answer(reply: FastifyReply, work: () => Promise<unknown>) {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return reply.status(error.status).header('cache-control', 'no-store').send(error.toJSON());
  }
}

/**
 * Every refusal is shown here and never redirected, as on Bitrix24: a redirect to an
 * unchecked address would make the portal an open redirector.
 */
async function authorize(context: OAuthContext, request: FastifyRequest, reply: FastifyReply) {
  const portal = requirePortal(request);
  const parsed = AuthorizeRequestSchema.safeParse(request.query);
  if (!parsed.success) throw new OAuthError('invalid_request', firstIssue(parsed.error.issues));
  const query = parsed.data;
  const app = await context.oauthApps.findByClientId(portal.id, query.client_id);
  if (!app) throw new OAuthError('invalid_client', 'Unknown client_id');
  const redirectUri = query.redirect_uri ?? app.redirectUris[0];
  if (redirectUri === undefined || !app.redirectUris.includes(redirectUri)) {
    throw new OAuthError('invalid_request', 'redirect_uri is not registered for this application');
  }
  if (query.code_challenge !== undefined && query.code_challenge_method !== 'S256') {
    throw new OAuthError('invalid_request', 'code_challenge_method must be S256');
  }
  const scopes = grantedScopes(app, query.scope);
  const userId = await context.signedInUserId(request);
  if (userId === null) return reply.status(401).send({ error: 'login_required', error_description: 'Sign in first' });
  const user = await context.users.findById(portal.id, userId);
  if (!user?.active) return reply.status(401).send({ error: 'login_required', error_description: 'Sign in first' });
  const code = await context.oauthGrants.issueCode({
    portalId: portal.id,
    app,
    userId: user.id,
    scopes,
    redirectUri: query.redirect_uri ?? null,
    codeChallenge: query.code_challenge ?? null,
  });
  const target = new URL(redirectUri);
  const host = request.host;
  target.searchParams.set('code', code);
  if (query.state !== undefined) target.searchParams.set('state', query.state);
  target.searchParams.set('domain', host);
  target.searchParams.set('member_id', portal.memberId);
  target.searchParams.set('scope', scopes.join(','));
  target.searchParams.set('server_domain', host);
  return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(target.href, 302);
}

/** The requested scopes (comma or space separated), all of which the app must be registered for. */
function grantedScopes(app: OAuthApp, requested: string | undefined): string[] {
  if (requested === undefined || requested.trim() === '') return app.scopes;
  const wanted = [...new Set(requested.split(/[\s,]+/).filter(Boolean))];
  const extra = wanted.filter((scope) => !app.scopes.includes(scope));
  if (extra.length > 0) throw new OAuthError('invalid_scope', `Not granted to this application: ${extra.join(',')}`);
  return wanted;
}

async function token(context: OAuthContext, request: FastifyRequest, reply: FastifyReply) {
  const portal = requirePortal(request);
  if (!(await context.oauthTokenLimiter.take(`${portal.id}:${request.ip}`))) {
    return reply.status(503).send({ error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
  }
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  const parsed = TokenRequestSchema.safeParse(mergeParams(query, request.body));
  if (!parsed.success) throw new OAuthError('invalid_request', firstIssue(parsed.error.issues));
  const grant: TokenRequest = parsed.data;
  const app = await context.oauthApps.authenticate(portal.id, grant.client_id, grant.client_secret);
  if (!app) throw new OAuthError('invalid_client', 'Client authentication failed');
  const issued =
    grant.grant_type === 'authorization_code'
      ? await context.oauthGrants.exchangeCode({
          portalId: portal.id,
          app,
          code: grant.code,
          redirectUri: grant.redirect_uri,
          codeVerifier: grant.code_verifier,
        })
      : await context.oauthGrants.refresh(portal.id, app, grant.refresh_token);
  return reply
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .send(tokenAnswer(portal, `${request.protocol}://${request.host}`, request.host, issued));
}

function tokenAnswer(portal: Portal, origin: string, host: string, issued: IssuedTokens): OAuthTokenAnswer {
  return {
    access_token: issued.accessToken,
    refresh_token: issued.refreshToken,
    expires_in: OAUTH_LIFETIMES.accessTokenMs / 1000,
    expires: Math.floor(issued.accessExpiresAt.getTime() / 1000),
    client_endpoint: `${origin}/rest/`,
    // The portal is its own authorization server, as a self-hosted Bitrix24 is.
    server_endpoint: `${origin}/rest/`,
    member_id: portal.memberId,
    scope: issued.scopes.join(','),
    status: LOCAL_APP_STATUS,
    user_id: issued.userId,
    domain: host,
  };
}

function requirePortal(request: FastifyRequest): Portal {
  if (!request.portal) throw new OAuthError('invalid_request', 'There is no portal at this address');
  return request.portal;
}

function firstIssue(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const issue = issues[0];
  if (!issue) return 'Invalid request';
  return issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}
