import type { LeakyBucketSettings } from './leaky-bucket.ts';

/** Bitrix24's documented limit for ordinary plans (docs: "REST API Limits"). */
export const DEFAULT_REST_RATE_LIMIT: LeakyBucketSettings = { burst: 50, drainPerSecond: 2 };
