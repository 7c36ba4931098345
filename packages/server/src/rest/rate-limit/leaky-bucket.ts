import type { Redis } from 'ioredis';
import type { Clock } from '../../clock/clock.ts';

export interface LeakyBucketSettings {
  /** How many requests may come at once before the bucket overflows. */
  burst: number;
  /** How many requests a second drain away. */
  drainPerSecond: number;
}

/**
 * Bitrix24's REST limit: every request adds one to a counter that drains at a steady rate; a
 * request that would take it over `burst` is refused and does not count. The settings are read
 * on every call, so they can be changed while the server runs (tests make them small).
 */
export interface LeakyBucketLimiter {
  readonly settings: LeakyBucketSettings;
  /** Counts a request; false when the bucket is full. */
  take(key: string): Promise<boolean>;
}

interface Bucket {
  level: number;
  at: number;
}

/** Buckets kept at most; idle ones are empty anyway, so dropping the oldest loses nothing real. */
const MAX_BUCKETS = 100_000;

/** The level after draining, and whether one more request fits. */
function pour(bucket: Bucket | undefined, now: number, settings: LeakyBucketSettings) {
  const drained = bucket ? Math.max(0, bucket.level - ((now - bucket.at) / 1000) * settings.drainPerSecond) : 0;
  const fits = drained + 1 <= settings.burst;
  return { fits, level: fits ? drained + 1 : drained };
}

/** Buckets in this process: right for one server process. */
export class MemoryLeakyBucket implements LeakyBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly settings: LeakyBucketSettings,
    private readonly clock: Clock,
  ) {}

  async take(key: string): Promise<boolean> {
    const now = this.clock.now().getTime();
    const { fits, level } = pour(this.buckets.get(key), now, this.settings);
    if (!this.buckets.has(key) && this.buckets.size >= MAX_BUCKETS) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    // Re-inserting keeps the map in order of last use, so the oldest is the first key.
    this.buckets.delete(key);
    this.buckets.set(key, { level, at: now });
    return fits;
  }
}

/** The same arithmetic as `pour`, atomically in Redis. */
const POUR_SCRIPT = `
local state = redis.call('HMGET', KEYS[1], 'level', 'at')
local now = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local rate = tonumber(ARGV[3])
local level = 0
if state[1] then
  level = math.max(0, tonumber(state[1]) - ((now - tonumber(state[2])) / 1000) * rate)
end
local fits = 0
if level + 1 <= burst then
  level = level + 1
  fits = 1
end
redis.call('HSET', KEYS[1], 'level', tostring(level), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((level / math.max(rate, 0.001)) * 1000) + 1000)
return fits
`;

/**
 * Buckets in Redis, shared by every server process behind a load balancer, so that N processes
 * do not grant N times the limit. When Redis cannot be reached, each process counts on its own
 * rather than refusing every call.
 */
export class RedisLeakyBucket implements LeakyBucketLimiter {
  private readonly fallback: MemoryLeakyBucket;

  constructor(
    readonly settings: LeakyBucketSettings,
    private readonly clock: Clock,
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.fallback = new MemoryLeakyBucket(settings, clock);
  }

  async take(key: string): Promise<boolean> {
    const { burst, drainPerSecond } = this.settings;
    try {
      const fits = await this.redis.eval(
        POUR_SCRIPT,
        1,
        `${this.prefix}:${key}`,
        this.clock.now().getTime(),
        burst,
        drainPerSecond,
      );
      return fits === 1;
    } catch {
      return this.fallback.take(key);
    }
  }
}

export function leakyBucket(
  settings: LeakyBucketSettings,
  clock: Clock,
  redis: Redis | undefined,
  prefix: string,
): LeakyBucketLimiter {
  return redis ? new RedisLeakyBucket(settings, clock, redis, prefix) : new MemoryLeakyBucket(settings, clock);
}
