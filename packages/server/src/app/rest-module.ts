import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.ts';
import type { FeatureModule } from '../modules/feature-module.ts';
import { batchRestMethod } from '../rest/batch/batch-method.ts';
import { coreRestMethods } from '../rest/methods/core-methods.ts';
import { type LeakyBucketLimiter, leakyBucket } from '../rest/rate-limit/leaky-bucket.ts';
import { DEFAULT_REST_RATE_LIMIT } from '../rest/rate-limit/rest-rate-limit.ts';
import type { RestAuthenticator } from '../rest/rest-authenticator.ts';
import { RestDispatcher } from '../rest/rest-dispatcher.ts';
import type { RestMethodRegistry } from '../rest/rest-method-registry.ts';
import { restRoutes } from '../rest/rest-routes.ts';

export interface RestServices {
  /** Every feature's methods; filled by `app/` from the modules. */
  restMethods: RestMethodRegistry;
  /** Tried in order; the first that recognises the request's kind of proof decides. */
  restAuthenticators: readonly RestAuthenticator[];
  dispatcher: RestDispatcher;
  /**
   * Webhook and OAuth callers, per portal and client address, as Bitrix24 limits them (a leaky
   * bucket of 50 draining at 2 a second). The portal's own UI and desktop are not limited here.
   * Shared through Redis when `REDIS_URL` is set. Its `settings` may be changed at run time;
   * tests make them small.
   */
  restRateLimiter: LeakyBucketLimiter;
}

/**
 * `/rest/…`: authentication, rate limits, dispatch to the registered methods, `batch`. In `app/`
 * beside the composition: it is the endpoint every feature's methods are registered on.
 */
export function createRestModule(deps: {
  clock: Clock;
  logger: Logger;
  redis: Redis | undefined;
  restMethods: RestMethodRegistry;
  authenticators: readonly RestAuthenticator[];
}): FeatureModule<RestServices> {
  const { clock, restMethods } = deps;
  const dispatcher = new RestDispatcher(restMethods, clock);
  const services: RestServices = {
    restMethods,
    restAuthenticators: deps.authenticators,
    dispatcher,
    restRateLimiter: leakyBucket({ ...DEFAULT_REST_RATE_LIMIT }, clock, deps.redis, 'portaldesk:rest-limit'),
  };
  return {
    name: 'rest',
    services,
    methods: [...coreRestMethods(restMethods), batchRestMethod(() => dispatcher, deps.logger)],
    routes: [{ role: 'any', register: (app) => restRoutes(app, services) }],
  };
}
