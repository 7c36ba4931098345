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

  /**
   * The database cannot be reached for now (down, restarting): HTTP 503 with `Retry-After`, on
   * which clients, the official SDK among them, try again later. A send answered so was not
   * acknowledged; repeating it with its UUID cannot double it.
   */
  static serviceUnavailable(): RestError {
    const error = new RestError(
      'SERVICE_UNAVAILABLE',
      'The service is temporarily unavailable; try again shortly',
      503,
    );
    error.retryAfterSeconds = 1;
    return error;
  }

  /** Sent as `Retry-After` when set. */
  retryAfterSeconds: number | undefined;

  toJSON() {
    return { error: this.code, error_description: this.description };
  }
}
