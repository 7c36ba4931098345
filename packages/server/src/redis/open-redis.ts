import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';

const requireModule = createRequire(import.meta.url);

/**
 * A Redis client, with ioredis loaded only when a server is set up with Redis: its sixty-odd
 * modules would otherwise be loaded at every start of the default install, which has no Redis.
 * Loaded synchronously (it is CommonJS) so that the wiring that makes clients stays synchronous.
 */
export function openRedis(url: string, options: RedisOptions): Redis {
  const { Redis: RedisClient } = requireModule('ioredis') as typeof import('ioredis');
  return new RedisClient(url, options);
}
