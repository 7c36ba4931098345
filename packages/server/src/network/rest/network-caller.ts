import { CSRF_HEADER } from '@portaldesk/protocol';
import { RestError } from '../../rest/rest-error.ts';
import { secretsEqual } from '../../secrets/secret-comparison.ts';
import type { NetworkContext } from '../network-context.ts';
import { NETWORK_SESSION_COOKIE } from '../sessions/network-session-store.ts';
import type { NetworkCaller } from './network-rest-method.ts';

export interface NetworkCredentials {
  params: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  cookies: Record<string, string | undefined>;
}

/**
 * Works out who is calling, in this order: a bearer token (`auth=` or `Authorization: Bearer`),
 * a portal's client credentials (`Authorization: Basic`), the profile's session cookie. A bad
 * token is an error rather than a fall-through, so that a caller learns its token is dead.
 */
export async function identifyNetworkCaller(
  network: NetworkContext,
  { params, headers, cookies }: NetworkCredentials,
): Promise<NetworkCaller> {
  const authorization = typeof headers.authorization === 'string' ? headers.authorization : '';
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization)?.[1] ?? (typeof params.auth === 'string' ? params.auth : '');
  if (bearer) return profileByToken(network, bearer);
  const basic = /^Basic\s+(.+)$/i.exec(authorization)?.[1];
  if (basic) return portalByCredentials(network, basic);
  const session = await network.sessions.find(cookies[NETWORK_SESSION_COOKIE]);
  if (session) {
    const profile = await network.profiles.findById(session.profileId);
    if (profile) {
      const csrfToken = csrfTokenOf(params, headers);
      return {
        kind: 'profile',
        profile,
        via: 'session',
        scope: 'all',
        mayChangeState: csrfToken !== '' && secretsEqual(csrfToken, session.csrfToken),
      };
    }
  }
  return { kind: 'anyone' };
}

/** The session's CSRF token as the caller sent it: `sessid`, or the CSRF header (as the portal takes it). */
function csrfTokenOf(params: NetworkCredentials['params'], headers: NetworkCredentials['headers']): string {
  if (typeof params.sessid === 'string') return params.sessid;
  const header = headers[CSRF_HEADER];
  return typeof header === 'string' ? header : '';
}

async function profileByToken(network: NetworkContext, token: string): Promise<NetworkCaller> {
  const check = await network.tokens.check(token);
  if (check.kind === 'expired') throw new RestError('expired_token', 'The access token provided has expired.');
  if (check.kind === 'invalid') throw new RestError('invalid_token', 'The access token provided is invalid.');
  const profile = await network.profiles.findById(check.grant.profileId);
  if (!profile) throw new RestError('invalid_token', 'The access token provided is invalid.');
  return { kind: 'profile', profile, via: 'token', scope: new Set(check.grant.scope.split(' ')), mayChangeState: true };
}

async function portalByCredentials(network: NetworkContext, basic: string): Promise<NetworkCaller> {
  const [clientId = '', secret = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':', 2);
  const client = await network.clients.authenticate(formDecode(clientId), formDecode(secret));
  if (client?.kind !== 'portal') throw new RestError('NO_AUTH_FOUND', 'Wrong client credentials');
  return { kind: 'portal', client };
}

/** RFC 6749 §2.3.1: Basic credentials are form-encoded first. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return '';
  }
}
