import { z } from 'zod';
import { RestError } from '../rest/rest-error.ts';
import { type RestMethod, restMethod } from '../rest/rest-method.ts';
import type { Realtime } from './realtime.ts';

const ConfigParams = z
  .object({
    CACHE: z.string().optional(),
    REOPEN: z.string().optional(),
  })
  .passthrough();

/**
 * `pull.config.get` for the user's own session (the web and desktop clients) and incoming
 * webhooks (scripts on the official SDK), and `pull.application.config.get` for OAuth apps; an
 * OAuth token is refused the first, anything but a token the second, as Bitrix24's pull module does.
 */
export function pullRestMethods(realtime: Pick<Realtime, 'config'>): RestMethod[] {
  return [
    restMethod({
      name: 'pull.config.get',
      // Open to any caller so that a token is told the documented WRONG_AUTH_TYPE, not a scope error.
      scope: 'basic',
      readOnly: true,
      params: ConfigParams,
      handle: async ({ auth }) => {
        if (auth.via === 'oauth') {
          throw new RestError('WRONG_AUTH_TYPE', 'Method not available for OAuth authorization.', 403);
        }
        return { result: await realtime.config(auth, 'private') };
      },
    }),
    restMethod({
      name: 'pull.application.config.get',
      scope: 'pull',
      readOnly: true,
      params: ConfigParams,
      handle: async ({ auth }) => {
        if (auth.via !== 'oauth') {
          throw new RestError(
            'WRONG_AUTH_TYPE',
            'Get access to application config available only for application authorization.',
            403,
          );
        }
        return { result: await realtime.config(auth, 'application') };
      },
    }),
  ];
}
