import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { createRateLimiter } from '../auth/rate-limiter.ts';
import { RestError } from '../rest/rest-error.ts';

/**
 * Every QR step costs a point, whether it succeeds or not: unlike a password, nothing here is
 * worth retrying many times, and each step is cheap to attempt in bulk. Per address for the
 * desktop's anonymous calls; per user as well for the phone's.
 */
export type QrLimit =
  | 'createPerAddress'
  | 'rotatePerAddress'
  | 'followPerAddress'
  | 'confirmPerAddress'
  | 'redeemPerAddress'
  | 'scanPerAddress'
  | 'scanPerUser'
  | 'decidePerUser';

export type QrLimitSettings = Record<QrLimit, { points: number; windowSeconds: number }>;

const FIVE_MINUTES = 300;

export const DEFAULT_QR_LIMITS: QrLimitSettings = {
  // A desktop makes one attempt per two minutes; an office behind one address, a few dozen.
  createPerAddress: { points: 30, windowSeconds: FIVE_MINUTES },
  rotatePerAddress: { points: 150, windowSeconds: FIVE_MINUTES },
  followPerAddress: { points: 150, windowSeconds: FIVE_MINUTES },
  confirmPerAddress: { points: 30, windowSeconds: FIVE_MINUTES },
  redeemPerAddress: { points: 30, windowSeconds: FIVE_MINUTES },
  scanPerAddress: { points: 30, windowSeconds: FIVE_MINUTES },
  scanPerUser: { points: 10, windowSeconds: FIVE_MINUTES },
  decidePerUser: { points: 20, windowSeconds: FIVE_MINUTES },
};

export class QrSignInRateLimits {
  private readonly limiters: Record<QrLimit, RateLimiterAbstract>;

  constructor(settings: QrLimitSettings = DEFAULT_QR_LIMITS, redis?: Redis) {
    const entries = Object.entries(settings).map(([name, rule]) => [
      name,
      createRateLimiter(
        { keyPrefix: `portaldesk:qr:${name}`, points: rule.points, duration: rule.windowSeconds },
        redis,
      ),
    ]);
    this.limiters = Object.fromEntries(entries) as Record<QrLimit, RateLimiterAbstract>;
  }

  /** Takes a point from each; throws HTTP 429 (`QUERY_LIMIT_EXCEEDED`, `Retry-After`) when one is spent. */
  async consume(...buckets: [QrLimit, string | number][]): Promise<void> {
    for (const [limit, key] of buckets) {
      try {
        await this.limiters[limit].consume(String(key));
      } catch (error) {
        if (error instanceof RateLimiterRes) throw RestError.tooManyRequests(error.msBeforeNext / 1000);
        throw error;
      }
    }
  }
}
