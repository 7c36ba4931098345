import type { NetworkTokenResponse } from '@portaldesk/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { answeringOAuthErrors, OAuthError } from '../../oauth/oauth-error.ts';
import { mergeParams } from '../../rest/rest-params-parser.ts';
import { pkceVerifierMatches } from '../../secrets/pkce.ts';
import type { NetworkClient } from '../clients/network-client.ts';
import type { NetworkContext } from '../network-context.ts';
import { ACCESS_TOKEN_TTL_SECONDS } from './access-token-store.ts';
import { signIdToken } from './network-tokens.ts';
import { scopeIncludes } from './scopes.ts';

/**
 * `POST /oauth/token/` (authorization_code only) and `POST /oauth/revoke/` (RFC 7009).
 * Portals authenticate with their secret (Basic or `client_secret` in the body); the desktop is a
 * public client and proves itself with the PKCE verifier alone.
 */
export async function tokenRoutes(app: FastifyInstance, network: NetworkContext): Promise<void> {
  const malformed = { badInputAnswer: new OAuthError('invalid_request', 'The request is malformed').toJSON() };
  app.post('/oauth/token', { config: malformed }, (request, reply) => exchange(network, request, reply));
  app.post('/oauth/revoke', async (request, reply) => {
    const params = bodyParams(request);
    if (typeof params.token === 'string') await network.tokens.revoke(params.token);
    return reply.header('cache-control', 'no-store').send({});
  });
}

async function exchange(network: NetworkContext, request: FastifyRequest, reply: FastifyReply) {
  reply.header('cache-control', 'no-store');
  return answeringOAuthErrors(reply, async () => reply.send(await tokenResponse(network, request)), {
    basicRealm: 'network',
  });
}

async function tokenResponse(network: NetworkContext, request: FastifyRequest): Promise<NetworkTokenResponse> {
  const params = bodyParams(request);
  if (params.grant_type !== 'authorization_code') {
    throw new OAuthError('unsupported_grant_type', 'Only grant_type=authorization_code is supported');
  }
  const client = await authenticateClient(network, request, params);
  if (typeof params.code !== 'string' || !params.code) throw new OAuthError('invalid_request', 'code is required');
  const redemption = await network.codes.redeem(params.code, client.clientId);
  if (redemption.kind === 'reused') {
    throw new OAuthError('invalid_grant', 'The code was already used; what was issued from it is revoked');
  }
  if (redemption.kind === 'invalid') throw new OAuthError('invalid_grant', 'The code is invalid or expired');
  const { grant, codeId } = redemption;
  if (params.redirect_uri !== grant.redirectUri) {
    throw new OAuthError('invalid_grant', 'redirect_uri differs from the one in the authorization request');
  }
  const verifier = typeof params.code_verifier === 'string' ? params.code_verifier : undefined;
  if (!pkceVerifierMatches(verifier, grant.codeChallenge)) {
    throw new OAuthError('invalid_grant', 'The PKCE code_verifier does not match the code_challenge');
  }
  const profile = await network.profiles.findById(grant.profileId);
  if (!profile) throw new OAuthError('invalid_grant', 'The code is invalid or expired');
  let portalUserId: number | undefined;
  if (client.kind === 'portal' && scopeIncludes(grant.scope, 'link')) {
    portalUserId = await linkAccount(network, client, profile.id, params);
  } else if (client.kind === 'portal') {
    const link = await network.links.find(profile.id, client.clientId);
    if (!link) throw new OAuthError('invalid_grant', 'The profile is no longer linked to this portal');
    portalUserId = link.portalUserId;
  }
  const { token, expiresAt } = await network.tokens.issue(
    { clientId: client.clientId, profileId: profile.id, scope: grant.scope },
    codeId,
  );
  const idToken = await signIdToken(network, {
    clientId: client.clientId,
    profile,
    nonce: grant.nonce,
    ...(portalUserId !== undefined ? { portalUserId } : {}),
  });
  return {
    access_token: token,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
    expires: Math.floor(expiresAt.getTime() / 1000),
    scope: grant.scope,
    id_token: idToken,
  };
}

/**
 * Linking by signing in on both sides: the profile consented on the Network's page (the code has
 * the `link` scope), and the portal — authenticated with its secret — names the account that is
 * signed in there and started the link. Neither side alone can make a link.
 */
async function linkAccount(
  network: NetworkContext,
  client: NetworkClient,
  profileId: number,
  params: Record<string, unknown>,
): Promise<number> {
  const portalUserId = Number(params.portal_user_id);
  const portalUserName = typeof params.portal_user_name === 'string' ? params.portal_user_name.trim() : '';
  if (!Number.isInteger(portalUserId) || portalUserId <= 0 || !portalUserName || portalUserName.length > 200) {
    throw new OAuthError('invalid_request', 'portal_user_id and portal_user_name name the account to link');
  }
  const outcome = await network.links.create({ profileId, clientId: client.clientId, portalUserId, portalUserName });
  if (outcome !== 'linked') throw new OAuthError('invalid_grant', 'That account is linked to another profile');
  return portalUserId;
}

async function authenticateClient(
  network: NetworkContext,
  request: FastifyRequest,
  params: Record<string, unknown>,
): Promise<NetworkClient> {
  const basic = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  let clientId = typeof params.client_id === 'string' ? params.client_id : '';
  let secret = typeof params.client_secret === 'string' ? params.client_secret : '';
  if (basic) {
    const [id = '', pass = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':', 2);
    clientId = formDecode(id);
    secret = formDecode(pass);
  }
  const client = clientId ? await network.clients.find(clientId) : null;
  if (!client) throw new OAuthError('invalid_client', 'Unknown client');
  if (client.kind === 'native') return client;
  if (!secret || !(await network.clients.authenticate(clientId, secret))) {
    throw new OAuthError('invalid_client', 'Client authentication failed');
  }
  return client;
}

function bodyParams(request: FastifyRequest): Record<string, unknown> {
  // Secrets belong in the body; the query string is ignored so that none is ever put in a URL.
  return mergeParams('', request.body);
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return '';
  }
}
