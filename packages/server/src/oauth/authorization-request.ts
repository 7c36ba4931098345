import { type AuthorizeRequest, AuthorizeRequestSchema } from '@portaldesk/protocol';
import type { Portal } from '../portals/portal.ts';
import type { OAuthApp, OAuthAppStore } from './oauth-app-store.ts';
import { OAuthError } from './oauth-error.ts';

/** An authorization request this portal can answer: a registered app, its redirect URI, its scopes. */
export interface ValidAuthorization {
  portal: Portal;
  app: OAuthApp;
  request: AuthorizeRequest;
  /** Where the answer goes: the one the request named, or the app's first. */
  redirectUri: string;
  scopes: string[];
}

/**
 * Checks a request to `/oauth/authorize/`. Every refusal is shown and never redirected, as on
 * Bitrix24: a redirect to an unchecked address would make the portal an open redirector.
 */
export async function validateAuthorization(
  apps: Pick<OAuthAppStore, 'findByClientId'>,
  portal: Portal,
  params: unknown,
): Promise<ValidAuthorization> {
  const parsed = AuthorizeRequestSchema.safeParse(params);
  if (!parsed.success) throw new OAuthError('invalid_request', firstIssue(parsed.error.issues));
  const request = parsed.data;
  const app = await apps.findByClientId(portal.id, request.client_id);
  if (!app) throw new OAuthError('invalid_client', 'Unknown client_id');
  const redirectUri = request.redirect_uri ?? app.redirectUris[0];
  if (redirectUri === undefined || !app.redirectUris.includes(redirectUri)) {
    throw new OAuthError('invalid_request', 'redirect_uri is not registered for this application');
  }
  if (request.code_challenge !== undefined && request.code_challenge_method !== 'S256') {
    throw new OAuthError('invalid_request', 'code_challenge_method must be S256');
  }
  return { portal, app, request, redirectUri, scopes: grantedScopes(app, request.scope) };
}

/**
 * The app's redirect URI with Bitrix24's answer: `code`, `state`, `domain`, `member_id`, `scope`,
 * `server_domain` — or, when the user said no, RFC 6749's `error=access_denied` and `state`.
 */
export function answerToApp(
  valid: ValidAuthorization,
  host: string,
  answer: { code: string } | { error: 'access_denied' },
): string {
  const target = new URL(valid.redirectUri);
  if ('code' in answer) {
    target.searchParams.set('code', answer.code);
  } else {
    target.searchParams.set('error', answer.error);
    target.searchParams.set('error_description', 'The user did not allow the application');
  }
  if (valid.request.state !== undefined) target.searchParams.set('state', valid.request.state);
  if ('code' in answer) {
    target.searchParams.set('domain', host);
    target.searchParams.set('member_id', valid.portal.memberId);
    target.searchParams.set('scope', valid.scopes.join(','));
    target.searchParams.set('server_domain', host);
  }
  return target.href;
}

/** The requested scopes (comma or space separated), all of which the app must be registered for. */
function grantedScopes(app: OAuthApp, requested: string | undefined): string[] {
  if (requested === undefined || requested.trim() === '') return app.scopes;
  const wanted = [...new Set(requested.split(/[\s,]+/).filter(Boolean))];
  const extra = wanted.filter((scope) => !app.scopes.includes(scope));
  if (extra.length > 0) throw new OAuthError('invalid_scope', `Not granted to this application: ${extra.join(',')}`);
  return wanted;
}

export function firstIssue(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const issue = issues[0];
  if (!issue) return 'Invalid request';
  return issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}
