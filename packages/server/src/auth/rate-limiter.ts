import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

export interface RateLimiterOptions {
  keyPrefix: string;
  points: number;
  duration: number;
}

/**
 * A counter in memory for one process, or in Redis (`REDIS_URL`) so that every process behind a
 * load balancer counts the same requests. While Redis is unreachable each process keeps
 * counting on its own rather than failing the request.
 */
export function createRateLimiter(options: RateLimiterOptions, redis?: Redis): RateLimiterAbstract {
  if (!redis) return new RateLimiterMemory(options);
  return new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) });
}
