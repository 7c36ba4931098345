/** The server could not be reached, or answered with something that is not a REST answer. */
export type ClientSideRestErrorCode = 'NETWORK_ERROR' | 'INVALID_RESPONSE';

/** A REST call that failed: the server's `error` code (or one of ours) and its description. */
export class RestCallError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    /** HTTP status; 0 when no answer came. */
    readonly status: number,
  ) {
    super(`${code}: ${description}`);
    this.name = 'RestCallError';
  }

  /** The session has ended (or never was): the user must sign in again. */
  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}
