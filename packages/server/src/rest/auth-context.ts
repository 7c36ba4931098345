import type { Portal } from '../portals/portal.ts';
import type { User } from '../users/user.ts';

/** Who is calling the REST API, and on what terms. Made by one of the authenticators. */
export interface AuthContext {
  portal: Portal;
  userId: number;
  via: 'session' | 'oauth' | 'webhook';
  /** Scopes granted to the caller; `all` for the user's own session. */
  scopes: ReadonlySet<string> | 'all';
  /**
   * True when a state-changing call is allowed. Session callers must prove it with `sessid`
   * (the CSRF token); token and webhook callers carry their secret in the request itself.
   */
  mayChangeState: boolean;
  /** The session, application password, OAuth token family or webhook the call came through. */
  credentialId: string;
  /**
   * The caller's user record when the authenticator has loaded it anyway (to check it is
   * active), so that `user.current` and `profile` need no second query on the hot path.
   */
  user?: User;
}

export function hasScope(auth: AuthContext, scope: string): boolean {
  return auth.scopes === 'all' || auth.scopes.has(scope);
}

/** May the caller use a method granted by any of `scopes`? `basic` is everyone's. */
export function hasAnyScope(auth: AuthContext, scopes: readonly string[]): boolean {
  return scopes.some((scope) => scope === 'basic' || hasScope(auth, scope));
}
