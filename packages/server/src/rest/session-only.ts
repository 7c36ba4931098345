import type { AuthContext } from './auth-context.ts';
import { RestError } from './rest-error.ts';

/**
 * Refuses callers other than a signed-in session (an app's OAuth token, a webhook): methods that
 * change how a person signs in, or act with administrator rights, must never be reachable with a
 * credential that can leak into another program.
 */
export function requireSession(auth: AuthContext): void {
  if (auth.via !== 'session') {
    throw new RestError('WRONG_AUTH_TYPE', 'This method is available to a signed-in session only');
  }
}
