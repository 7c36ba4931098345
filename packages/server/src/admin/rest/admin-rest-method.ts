import type { z } from 'zod';
import type { AuthContext } from '../../rest/auth-context.ts';
import { RestError } from '../../rest/rest-error.ts';
import { type RestMethod, type RestResult, restMethod } from '../../rest/rest-method.ts';
import { requireSession } from '../../rest/session-only.ts';
import type { UserStore } from '../../users/user-store.ts';

/**
 * A `portaldesk.admin.*` method: for a signed-in session of an active administrator of the
 * portal only. Tokens and webhooks are refused even when their user is an administrator, so a
 * leaked webhook cannot create users or mint more webhooks.
 */
export function adminRestMethod<Schema extends z.ZodType>(
  users: Pick<UserStore, 'findById'>,
  name: string,
  readOnly: boolean,
  params: Schema,
  handle: (auth: AuthContext, params: z.output<Schema>) => Promise<RestResult>,
): RestMethod<Schema> {
  return restMethod({
    name,
    scope: 'basic',
    readOnly,
    params,
    async handle({ auth, params: parsed }) {
      requireSession(auth);
      // Read afresh: an administrator whose rights were taken away a moment ago is one no more.
      const caller = await users.findById(auth.portal.id, auth.userId);
      if (!caller?.active || !caller.isAdmin) {
        throw new RestError('ACCESS_DENIED', 'Only the portal administrators may do this');
      }
      return handle(auth, parsed);
    },
  });
}
