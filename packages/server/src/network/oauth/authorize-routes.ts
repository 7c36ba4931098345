import type { NetworkAuthorizeDescription, NetworkAuthorizeRedirect } from '@portaldesk/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RestError } from '../../rest/rest-error.ts';
import { mergeParams } from '../../rest/rest-params-parser.ts';
import { isPkceS256Challenge } from '../../secrets/pkce.ts';
import { secretsEqual } from '../../secrets/secret-comparison.ts';
import type { BuiltPage } from '../../web/built-page.ts';
import type { NetworkClient } from '../clients/network-client.ts';
import { redirectUriMatches } from '../clients/redirect-uri-match.ts';
import type { NetworkContext } from '../network-context.ts';
import type { Profile } from '../profiles/profile.ts';
import { NETWORK_SESSION_COOKIE } from '../sessions/network-session-store.ts';
import { grantScope, scopeIncludes } from './scopes.ts';

/** The authorization request's parameters, carried by the page unchanged. */
const REQUEST_FIELDS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
] as const;

interface ValidRequest {
  client: NetworkClient;
  fields: Record<string, string>;
  redirectUri: string;
  scope: string;
}

/**
 * `/oauth/authorize/`: authorization code flow with PKCE (S256 only). Problems with the client or
 * its redirect URI are shown on the page and never redirected (RFC 6749 §4.1.2.1); everything
 * else goes back to the client with `state` and `iss` (RFC 9207). A native app (the desktop)
 * always needs the person to act on the page — sign in or press Continue — so that another
 * local program cannot obtain a code silently with the desktop's public client id (RFC 8252
 * §8.6); so does a portal asking to link an account (`link` scope), since that is the profile's
 * consent. A portal signing someone in (its redirect URI is its own site) gets a code at once
 * for a signed-in profile already linked to it.
 *
 * The page is the Network's web app (`packages/ui`, entry `network`). It signs in with
 * `POST /network/login/` and then talks to this route in JSON only (a cross-site form cannot
 * send JSON): `action: "describe"` tells it whom the request is for and who is signed in,
 * `action: "consent"` with the session's `sessid` answers `{redirect}`, where the page goes next.
 */
export async function authorizeRoutes(app: FastifyInstance, network: NetworkContext, page: BuiltPage) {
  app.get('/oauth/authorize', (request, reply) => showPage(network, page, request, reply));
  app.post('/oauth/authorize', (request, reply) => answerPage(network, request, reply));
}

async function showPage(network: NetworkContext, page: BuiltPage, request: FastifyRequest, reply: FastifyReply) {
  reply.header('cache-control', 'no-store');
  const valid = await validate(network, queryParams(request));
  if ('problem' in valid) return page.sendProblem(reply, 400, valid.problem);
  if ('redirect' in valid) return reply.redirect(valid.redirect, 303);
  const profile = await signedInProfile(network, request);
  if (!profile || needsInteraction(valid)) return page.send(reply);
  return reply.redirect(await issueCode(network, valid, profile.profile), 303);
}

async function answerPage(network: NetworkContext, request: FastifyRequest, reply: FastifyReply) {
  reply.header('cache-control', 'no-store');
  if (typeof request.body !== 'object' || request.body === null) {
    throw new RestError('INVALID_REQUEST', 'Send the request as JSON', 415);
  }
  const params = stringParams(mergeParams('', request.body));
  const valid = await validate(network, params);
  if ('problem' in valid) return reply.status(400).send({ error: 'invalid_request', error_description: valid.problem });
  if ('redirect' in valid) return reply.send({ redirect: valid.redirect } satisfies NetworkAuthorizeRedirect);
  const signedIn = await signedInProfile(network, request);
  if (params.action === 'describe') {
    const answer: NetworkAuthorizeDescription = {
      clientName: valid.client.name,
      clientKind: valid.client.kind,
      linking: scopeIncludes(valid.scope, 'link'),
      signedInAs: signedIn ? { displayName: signedIn.profile.displayName, sessid: signedIn.sessid } : null,
    };
    return reply.send(answer);
  }
  if (params.action !== 'consent') throw new RestError('INVALID_REQUEST', 'action is describe or consent');
  if (!signedIn || !params.sessid || !secretsEqual(params.sessid, signedIn.sessid)) {
    throw new RestError('INVALID_CSRF', 'Sign in again to continue', 403);
  }
  return reply.send({ redirect: await issueCode(network, valid, signedIn.profile) } satisfies NetworkAuthorizeRedirect);
}

async function signedInProfile(
  network: NetworkContext,
  request: FastifyRequest,
): Promise<{ profile: Profile; sessid: string } | null> {
  const session = await network.sessions.find(request.cookies[NETWORK_SESSION_COOKIE]);
  const profile = session ? await network.profiles.findById(session.profileId) : null;
  return profile && session ? { profile, sessid: session.csrfToken } : null;
}

function queryParams(request: FastifyRequest): Record<string, string> {
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  return stringParams(mergeParams(query, undefined));
}

function needsInteraction(valid: ValidRequest): boolean {
  return valid.client.kind === 'native' || scopeIncludes(valid.scope, 'link');
}

async function issueCode(network: NetworkContext, valid: ValidRequest, profile: Profile): Promise<string> {
  const linking = scopeIncludes(valid.scope, 'link');
  if (valid.client.kind === 'portal' && !linking && !(await network.links.find(profile.id, valid.client.clientId))) {
    return backToClient(network, valid.redirectUri, valid.fields.state, {
      error: 'access_denied',
      error_description: 'This Network profile is not linked to an account on that portal',
    });
  }
  const code = await network.codes.issue({
    clientId: valid.client.clientId,
    profileId: profile.id,
    redirectUri: valid.redirectUri,
    codeChallenge: valid.fields.code_challenge ?? '',
    scope: valid.scope,
    nonce: valid.fields.nonce ?? null,
  });
  return backToClient(network, valid.redirectUri, valid.fields.state, { code });
}

async function validate(
  network: NetworkContext,
  params: Record<string, string>,
): Promise<ValidRequest | { problem: string } | { redirect: string }> {
  const client = params.client_id ? await network.clients.find(params.client_id) : null;
  if (!client) return { problem: 'This application is not known to the Network.' };
  const redirectUri = params.redirect_uri ?? '';
  if (!redirectUriMatches(client.redirectUris, redirectUri)) {
    return { problem: 'The address to return to is not registered for this application.' };
  }
  const fields: Record<string, string> = {};
  for (const name of REQUEST_FIELDS) if (params[name] !== undefined) fields[name] = params[name];
  const back = (error: string, description: string) => ({
    redirect: backToClient(network, redirectUri, params.state, { error, error_description: description }),
  });
  if (params.response_type !== 'code') return back('unsupported_response_type', 'Only response_type=code is supported');
  if (params.code_challenge_method !== 'S256' || !isPkceS256Challenge(params.code_challenge ?? '')) {
    return back('invalid_request', 'PKCE is required: code_challenge with code_challenge_method=S256');
  }
  const scope = grantScope(client, params.scope);
  if (!scope) return back('invalid_scope', 'The requested scope is not available to this application');
  return { client, fields, redirectUri, scope };
}

/** The client's redirect URI with the answer, `state` and `iss` added to its query. */
function backToClient(
  network: NetworkContext,
  redirectUri: string,
  state: string | undefined,
  answer: Record<string, string>,
): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(answer)) url.searchParams.set(name, value);
  if (state !== undefined) url.searchParams.set('state', state);
  url.searchParams.set('iss', network.issuer.url);
  return url.toString();
}

function stringParams(params: Record<string, unknown>): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) if (typeof value === 'string') strings[name] = value;
  return strings;
}
