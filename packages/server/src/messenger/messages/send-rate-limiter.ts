import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RestError } from '../../rest/rest-error.ts';

export interface SendRateLimit {
  /** Messages a user may send in `seconds`. */
  messages: number;
  seconds: number;
}

/** A generous default: a person never types this fast, a runaway script is stopped. */
export const DEFAULT_SEND_RATE_LIMIT: SendRateLimit = { messages: 60, seconds: 10 };

/**
 * Limits how fast one user sends messages. Kept in the process: with several server processes
 * each allows the rate, which still bounds a runaway client.
 */
export class SendRateLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(limit: SendRateLimit = DEFAULT_SEND_RATE_LIMIT) {
    this.limiter = new RateLimiterMemory({ points: limit.messages, duration: limit.seconds });
  }

  async consume(portalId: number, userId: number): Promise<void> {
    try {
      await this.limiter.consume(`${portalId}:${userId}`);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        throw new RestError('QUERY_LIMIT_EXCEEDED', 'Too many messages; wait a moment before sending more', 503);
      }
      throw error;
    }
  }
}
