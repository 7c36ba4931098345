import type { RestCallError } from './rest-call-error.ts';

/**
 * When a failed REST call is tried again, and after how long: the policy of the official SDK
 * (`@bitrix24/b24jssdk` 2.x, `core/http/limiters/manager.mjs` and `params-factory.mjs`):
 * - at most 3 attempts in all;
 * - rate limited (`QUERY_LIMIT_EXCEEDED`, or HTTP 503): wait (leaky-bucket refill + 1 s) × 1.5^attempt,
 *   and never less than the server's `Retry-After`;
 * - over the operating limit (HTTP 429, `OPERATION_TIME_LIMIT`): wait at least 10 s;
 * - any other 4xx, and the codes that mean "do not insist" (auth, access, bad request…): no retry;
 * - network errors and other 5xx: 1 s × 2^attempt, ±10 % jitter, at most 30 s.
 * One difference: a wait longer than `maxWaitMs` is not waited out (the SDK would sleep through a
 * `Retry-After` of minutes); the error goes to the caller, who can tell the user.
 */
export interface RestRetryPolicy {
  maxAttempts: number;
  /** Base wait after a network error or a 5xx. */
  errorDelayMs: number;
  /** Base wait after a rate-limit answer: the SDK's refill interval (500 ms at 2 requests/s) + 1 s. */
  rateLimitDelayMs: number;
  /** The least wait after HTTP 429 / `OPERATION_TIME_LIMIT`. */
  operatingLimitDelayMs: number;
  /** Waits longer than this are not waited out. */
  maxWaitMs: number;
}

export const SDK_RETRY_POLICY: RestRetryPolicy = {
  maxAttempts: 3,
  errorDelayMs: 1_000,
  rateLimitDelayMs: 1_500,
  operatingLimitDelayMs: 10_000,
  maxWaitMs: 30_000,
};

/** Never retried whatever the status: the SDK's hard error codes that our server answers. */
const NEVER_RETRIED: ReadonlySet<string> = new Set([
  'INVALID_RESPONSE',
  'INTERNAL_SERVER_ERROR',
  'ERROR_BATCH_METHOD_NOT_ALLOWED',
  'ERROR_BATCH_LENGTH_EXCEEDED',
  'NO_AUTH_FOUND',
  'INVALID_REQUEST',
  'expired_token',
  'invalid_token',
  'ACCESS_DENIED',
  'INVALID_CREDENTIALS',
  'insufficient_scope',
  'NOT_FOUND',
  'INVALID_ARG_VALUE',
]);

/**
 * How long to wait before attempt `attempt + 1` after `error` ended attempt `attempt` (0-based),
 * or null when the call is not tried again. `random` is in [0, 1).
 */
export function restRetryDelay(
  error: RestCallError,
  attempt: number,
  policy: RestRetryPolicy,
  random: () => number,
): number | null {
  if (attempt + 1 >= policy.maxAttempts) return null;
  const wait = waitFor(error, attempt, policy, random);
  return wait === null || wait > policy.maxWaitMs ? null : wait;
}

function waitFor(error: RestCallError, attempt: number, policy: RestRetryPolicy, random: () => number): number | null {
  const asked = error.retryAfterMs ?? 0;
  if (error.code === 'QUERY_LIMIT_EXCEEDED' || error.status === 503) {
    return Math.max(asked, policy.rateLimitDelayMs * 1.5 ** attempt);
  }
  if (error.status === 429 || error.code === 'OPERATION_TIME_LIMIT') {
    return Math.max(asked, policy.operatingLimitDelayMs);
  }
  if (error.status >= 400 && error.status < 500 && error.status !== 408) return null;
  // An answer that is no REST envelope is the portal's own doing, unless a proxy in front of it failed.
  if (NEVER_RETRIED.has(error.code) && !(error.code === 'INVALID_RESPONSE' && error.status >= 500)) return null;
  const delay = Math.min(Math.max(policy.maxWaitMs, policy.errorDelayMs), policy.errorDelayMs * 2 ** attempt);
  return Math.max(100, delay + delay * 0.1 * (random() * 2 - 1));
}
