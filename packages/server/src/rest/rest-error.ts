import { restErrorStatus } from '@portaldesk/protocol';

/** A failure answered in Bitrix24's own shape: `{error, error_description}` with its HTTP status. */
export class RestError extends Error {
  readonly status: number;
  constructor(
    readonly code: string,
    readonly description: string,
    status?: number,
  ) {
    super(`${code}: ${description}`);
    this.status = status ?? restErrorStatus(code);
  }

  /** Too many requests: HTTP 429 with `Retry-After`. */
  static tooManyRequests(retryAfterSeconds: number): RestError {
    const error = new RestError('QUERY_LIMIT_EXCEEDED', 'Too many requests; try again later', 429);
    error.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return error;
  }

  /** Sent as `Retry-After` when set. */
  retryAfterSeconds: number | undefined;

  toJSON() {
    return { error: this.code, error_description: this.description };
  }
}
