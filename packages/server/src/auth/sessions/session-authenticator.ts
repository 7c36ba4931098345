import { CSRF_HEADER, SESSION_COOKIE } from '@portaldesk/protocol';
import type { RestAuthenticator, RestCredentials } from '../../rest/rest-authenticator.ts';
import { RestError } from '../../rest/rest-error.ts';
import { SessionService } from './session-service.ts';

/**
 * Session auth: the `PHPSESSID` cookie names the caller; a state-changing call must also carry
 * the session's `sessid` (parameter, or header `X-Bitrix-Csrf-Token`), which a foreign page
 * cannot know. A request with an OAuth token or a webhook path is left to those authenticators,
 * as Bitrix24 does, even when the browser also sent a cookie.
 */
export function sessionAuthenticator(sessions: SessionService): RestAuthenticator {
  return async (credentials) => {
    if (credentials.webhook || credentials.params.auth !== undefined) return null;
    const token = credentials.cookies[SESSION_COOKIE];
    if (!token) return null;
    const session = await sessions.validate(credentials.portal.id, token);
    if (!session) throw new RestError('NO_AUTH_FOUND', 'The session has ended; sign in again');
    return {
      portal: credentials.portal,
      userId: session.userId,
      via: 'session',
      scopes: 'all',
      mayChangeState: SessionService.sessidMatches(session, csrfTokenOf(credentials)),
      credentialId: session.id,
    };
  };
}

function csrfTokenOf(credentials: RestCredentials): string | undefined {
  const param = credentials.params.sessid;
  if (typeof param === 'string') return param;
  const header = credentials.headers[CSRF_HEADER];
  return typeof header === 'string' ? header : undefined;
}
