import type { Portal } from '../portals/portal.ts';
import type { AuthContext } from './auth-context.ts';
import { RestError } from './rest-error.ts';

/** What a REST request offers as proof of who is calling. */
export interface RestCredentials {
  portal: Portal;
  params: Record<string, unknown>;
  cookies: Record<string, string | undefined>;
  headers: Record<string, string | string[] | undefined>;
  /** From an incoming webhook path `/rest/<userId>/<secret>/<method>`. */
  webhook?: { userId: string; secret: string };
  ip: string;
}

/**
 * One way to authenticate (session, OAuth token, webhook). Answers null when the request does
 * not use this way at all; throws a {@link RestError} when it does and the proof is bad.
 */
export type RestAuthenticator = (credentials: RestCredentials) => Promise<AuthContext | null>;

export async function authenticate(
  authenticators: readonly RestAuthenticator[],
  credentials: RestCredentials,
): Promise<AuthContext> {
  for (const authenticator of authenticators) {
    const auth = await authenticator(credentials);
    if (auth) return auth;
  }
  throw new RestError('NO_AUTH_FOUND', 'Wrong authorization data');
}
