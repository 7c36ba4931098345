/**
 * Error codes of the Bitrix24 REST API with the HTTP status each is answered with.
 * Names are the documented ones, so that Bitrix24 clients (and the official SDK) react correctly:
 * the SDK refreshes only on 401 `expired_token`/`invalid_token`, never retries 4xx, retries 5xx.
 * Statuses follow the docs' table of system errors (`_includes/system-errors.md`).
 */
export const REST_ERROR_STATUS = {
  expired_token: 401,
  invalid_token: 401,
  NO_AUTH_FOUND: 401,
  insufficient_scope: 403,
  /** The user behind a valid token or webhook may not do this (e.g. was deactivated). */
  INVALID_CREDENTIALS: 403,
  ACCESS_DENIED: 403,
  /** The current password, asked again before a change to the account's security, is wrong. */
  WRONG_PASSWORD: 400,
  WRONG_AUTH_TYPE: 403,
  /** A session call that changes data came without the session's `sessid`. */
  INVALID_CSRF: 403,
  ERROR_METHOD_NOT_FOUND: 404,
  NOT_FOUND: 404,
  INVALID_REQUEST: 400,
  /** A method that takes a password or secret was called by GET, or with it in the query string. */
  ERROR_POST_REQUIRED: 400,
  INVALID_ARG_VALUE: 400,
  ERROR_ARGUMENT: 400,
  ERROR_BATCH_LENGTH_EXCEEDED: 400,
  ERROR_BATCH_METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  QUERY_LIMIT_EXCEEDED: 503,
  /** The server cannot reach its database for now (Portaldesk's own; 503 is what clients retry). */
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
} as const;

export type RestErrorCode = keyof typeof REST_ERROR_STATUS;

export function restErrorStatus(code: string): number {
  return (REST_ERROR_STATUS as Record<string, number>)[code] ?? 400;
}
