/**
 * How a REST call proves who makes it (bitrix24-wire.md, "REST"):
 * - `session`: the portal's session cookie and its CSRF token (`sessid`, the `bitrixSessionId` of
 *   sign-in) in the `X-Bitrix-Csrf-Token` header. A page leaves the cookie to the browser; the
 *   desktop's main process, which has no cookie jar, names it.
 * - `token`: an OAuth access token (or the desktop's application token), sent as `auth` in the
 *   body: never in the URL, where it would end up in logs and history.
 */
export type RestAuthentication =
  | {
      kind: 'session';
      /** Read at each call; null before sign-in (read-only calls may still go). */
      sessid(): string | null;
      /** The `Cookie` header, for a caller without a cookie jar. */
      cookie?(): string;
    }
  | { kind: 'token'; token(): string };
