import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { RestError } from '../rest/rest-error.ts';
import { createRateLimiter } from './rate-limiter.ts';

export interface ReauthenticationLimitSettings {
  /** Wrong passwords or codes allowed per user in one window. */
  failures: number;
  windowSeconds: number;
}

export const DEFAULT_REAUTHENTICATION_LIMITS: ReauthenticationLimitSettings = { failures: 10, windowSeconds: 15 * 60 };

/**
 * Failed proofs of identity inside a signed-in session (the current password to change it, a
 * code or the password to turn two-factor off). Session calls pass the REST rate limit, so
 * without this a tab left open would let anyone guess the password or the code at full speed.
 * Counted per user, so that a second tab does not get fresh attempts.
 */
export class ReauthenticationLimits {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    private readonly settings: ReauthenticationLimitSettings = DEFAULT_REAUTHENTICATION_LIMITS,
    redis?: Redis,
  ) {
    this.limiter = createRateLimiter(
      { keyPrefix: 'portaldesk:reauth', points: settings.failures, duration: settings.windowSeconds },
      redis,
    );
  }

  /** Throws HTTP 429 (`QUERY_LIMIT_EXCEEDED`, `Retry-After`) while the user has no attempts left. */
  async ensureAllowed(portalId: number, userId: number): Promise<void> {
    const state = await this.limiter.get(keyOf(portalId, userId));
    if (state && state.consumedPoints >= this.settings.failures) {
      throw RestError.tooManyRequests(state.msBeforeNext / 1000);
    }
  }

  async recordFailure(portalId: number, userId: number): Promise<void> {
    try {
      await this.limiter.consume(keyOf(portalId, userId));
    } catch (error) {
      // Over the limit: the rejection is the limiter's answer, not a failure of ours.
      if (!(error instanceof RateLimiterRes)) throw error;
    }
  }
}

const keyOf = (portalId: number, userId: number) => `${portalId}:${userId}`;
