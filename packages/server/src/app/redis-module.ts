import type { Redis } from 'ioredis';
import type { FeatureModule } from '../modules/feature-module.ts';
import { openRedis } from '../redis/open-redis.ts';

export interface RedisServices {
  /** Shared rate limits (sign-in, QR, REST, publishing); absent without `REDIS_URL`. */
  redis: Redis | undefined;
}

/**
 * The one Redis connection of the rate limits (realtime's bus opens its own for pub/sub). It is
 * opened when the server starts, or by the first command (the admin command line never starts
 * the server), and closed last, after every feature that uses it has stopped.
 */
export function createRedisModule(options: {
  redisUrl?: string | undefined;
  redisNamespace?: string | undefined;
}): FeatureModule<RedisServices> {
  const { redisUrl, redisNamespace } = options;
  const redis = redisUrl
    ? openRedis(redisUrl, {
        maxRetriesPerRequest: 2,
        lazyConnect: true,
        ...(redisNamespace ? { keyPrefix: `${redisNamespace}:` } : {}),
      })
    : undefined;
  return {
    name: 'redis',
    services: { redis },
    async start() {
      // Not awaited: an unreachable Redis does not stop the server; ioredis keeps reconnecting.
      if (redis?.status === 'wait') redis.connect().catch(() => undefined);
    },
    async stop() {
      if (!redis) return;
      if (redis.status === 'wait') redis.disconnect();
      else if (redis.status !== 'end') await redis.quit();
    },
  };
}
