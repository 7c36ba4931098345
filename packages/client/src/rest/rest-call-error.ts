/** The server could not be reached, or answered with something that is not a REST answer. */
export type ClientSideRestErrorCode = 'NETWORK_ERROR' | 'INVALID_RESPONSE';

/**
 * A REST call that failed: the server's documented `error` code (`expired_token`,
 * `QUERY_LIMIT_EXCEEDED`, `ACCESS_DENIED`, … — see protocol's `rest-error-code.ts`), or one of
 * {@link ClientSideRestErrorCode}, with its description and the HTTP status.
 */
export class RestCallError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    /** HTTP status; 0 when no answer came. */
    readonly status: number,
    /** What the server's `Retry-After` asked for, in milliseconds, when it sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(`${code}: ${description}`);
    this.name = 'RestCallError';
  }

  /** The session has ended (or never was): the user must sign in again. */
  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}
