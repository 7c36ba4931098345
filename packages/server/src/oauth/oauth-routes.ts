import { type OAuthTokenAnswer, type TokenRequest, TokenRequestSchema } from '@portaldesk/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Portal } from '../portals/portal.ts';
import type { LeakyBucketLimiter } from '../rest/rate-limit/leaky-bucket.ts';
import { mergeParams } from '../rest/rest-params-parser.ts';
import { BuiltPage } from '../web/built-page.ts';
import { firstIssue } from './authorization-request.ts';
import { type AuthorizeContext, authorizeRoutes, requirePortal } from './authorize-routes.ts';
import { answeringOAuthErrors, OAuthError } from './oauth-error.ts';
import { type IssuedTokens, OAUTH_LIFETIMES } from './oauth-grant-store.ts';

/** `app.info` STATUS of an application registered on the portal itself. */
const LOCAL_APP_STATUS = 'L';

interface OAuthContext extends AuthorizeContext {
  oauthTokenLimiter: LeakyBucketLimiter;
}

/** The portal's own authorization server: `/oauth/authorize/` (with its consent page) and `/oauth/token/`. */
export async function oauthRoutes(app: FastifyInstance, context: OAuthContext, uiDistDir: string): Promise<void> {
  await authorizeRoutes(app, context, new BuiltPage(uiDistDir, 'oauth/authorize.html', 'Allow access'));
  app.route({
    method: ['GET', 'POST'],
    url: '/oauth/token',
    config: { badInputAnswer: new OAuthError('invalid_request', 'The request is malformed').toJSON() },
    handler: (request, reply) => answeringOAuthErrors(reply, () => token(context, request, reply)),
  });
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
