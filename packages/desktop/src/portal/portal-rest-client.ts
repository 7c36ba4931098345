import { type FetchLike, RestClient } from '@portaldesk/client';
import type { PortalSession } from '../accounts/account-sign-in.ts';
import type { DesktopFetch } from './desktop-http-client.ts';

export interface PortalRestClientOptions {
  fetch: DesktopFetch;
  /** The current session; `renew` signs in again (application password) when the portal says it ended. */
  session(): PortalSession;
  renew(): Promise<PortalSession>;
}

/**
 * One account's REST client in the main process: the shared client (`@portaldesk/client`) with the
 * session's cookie and `sessid` (the main process has no cookie jar), signing in again once when
 * the portal answers that the session ended.
 */
export class PortalRestClient extends RestClient {
  constructor(options: PortalRestClientOptions) {
    super({
      fetch: options.fetch as FetchLike,
      baseUrl: () => options.session().origin,
      authentication: {
        kind: 'session',
        sessid: () => options.session().sessid,
        cookie: () => [...options.session().cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      },
      reauthenticate: async () => void (await options.renew()),
    });
  }
}
