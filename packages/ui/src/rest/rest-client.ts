import { type FetchLike, type RestCallError, RestClient as SharedRestClient } from '@portaldesk/client';

export type { RestCaller, RestParams } from '@portaldesk/client';

export interface RestClientOptions {
  fetch: FetchLike;
  /** `''` for the page's own portal; an origin in tests. */
  baseUrl?: string;
  /** The session's CSRF token (`bitrixSessionId` from sign-in), read at each call. */
  sessid: () => string | null;
  /** Told once per failed call when the server says the session is gone. */
  onUnauthorized?: (error: RestCallError) => void;
}

/**
 * Bitrix24 REST over the browser's session: the shared client (`@portaldesk/client`) with the
 * cookie the browser sends and the session's `sessid` in the CSRF header (never in the URL,
 * where it would end up in logs and history).
 */
export class RestClient extends SharedRestClient {
  constructor(options: RestClientOptions) {
    super({
      fetch: options.fetch,
      ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
      authentication: { kind: 'session', sessid: options.sessid },
      ...(options.onUnauthorized ? { onUnauthorized: options.onUnauthorized } : {}),
    });
  }
}
