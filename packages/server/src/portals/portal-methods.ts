import { z } from 'zod';
import { type RestMethod, restMethod } from '../rest/rest-method.ts';

/**
 * `portaldesk.portal.get`: the portal's own name, for any member. Bitrix24 has no documented
 * method a member may call for it (`app.info` describes the calling application, `server.time`
 * the clock, `profile` the user), so ours is named in our own namespace rather than borrowing a
 * documented name with another meaning. Desktop apps show it in place of the host name.
 */
export function portalMethods(): RestMethod[] {
  return [
    restMethod({
      name: 'portaldesk.portal.get',
      scope: 'basic',
      readOnly: true,
      params: z.object({}).passthrough(),
      handle: async ({ auth }) => ({ result: { NAME: auth.portal.name, DOMAIN: auth.portal.domain } }),
    }),
  ];
}
