import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LeakyBucketLimiter } from './rate-limit/leaky-bucket.ts';
import { authenticate, type RestAuthenticator } from './rest-authenticator.ts';
import type { RestDispatcher } from './rest-dispatcher.ts';
import { RestError } from './rest-error.ts';
import type { RestMethodRegistry } from './rest-method-registry.ts';
import { mergeParams } from './rest-params-parser.ts';
import { restTime } from './rest-time.ts';
import { paramsInUrl } from './secret-params.ts';

interface RestRouteParams {
  method: string;
  userId?: string;
  secret?: string;
}

/**
 * `/rest/<method>[.json]` (session or OAuth token) and `/rest/<userId>/<secret>/<method>`
 * (incoming webhook), by GET or POST with JSON or a form. The log shows a method only when it is
 * one, and a webhook's user id, never its secret (`http/request-log-view.ts`).
 */
interface Dependencies {
  restMethods: RestMethodRegistry;
  /** Tried in order; the first that recognises the request's kind of proof decides. */
  restAuthenticators: readonly RestAuthenticator[];
  restRateLimiter: LeakyBucketLimiter;
  dispatcher: RestDispatcher;
}

export async function restRoutes(app: FastifyInstance, context: Dependencies): Promise<void> {
  const handler = (request: FastifyRequest<{ Params: RestRouteParams }>, reply: FastifyReply) =>
    handleRestCall(context, request, reply);
  const config = {
    loggedParams: {
      method: (name: string) => context.restMethods.find(name.replace(/\.json$/i, '')) !== undefined,
      userId: (id: string) => /^\d{1,10}$/.test(id),
    },
  };
  for (const url of ['/rest/:method', '/rest/:userId/:secret/:method']) {
    app.route({ method: ['GET', 'POST'], url, config, handler });
  }
  // A webhook's address without a method, as a script that forgot to append one calls it.
  app.route({
    method: ['GET', 'POST'],
    url: '/rest/:userId/:secret',
    config,
    handler: async () => {
      throw new RestError('ERROR_METHOD_NOT_FOUND', 'Method not found!');
    },
  });
}

async function handleRestCall(
  context: Dependencies,
  request: FastifyRequest<{ Params: RestRouteParams }>,
  reply: FastifyReply,
) {
  const startedAt = Date.now();
  const portal = request.portal;
  if (!portal) throw new RestError('NOT_FOUND', 'There is no portal at this address', 404);
  const methodName = request.params.method.replace(/\.json$/i, '');
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  const params = mergeParams(query, request.body);
  const { userId, secret } = request.params;
  const auth = await authenticate(context.restAuthenticators, {
    portal,
    params,
    cookies: request.cookies,
    headers: request.headers,
    ...(userId !== undefined && secret !== undefined ? { webhook: { userId, secret } } : {}),
    ip: request.ip,
  });
  // Bitrix24 counts HTTP requests per portal and client address; a batch is one request.
  if (auth.via !== 'session' && !(await context.restRateLimiter.take(`${portal.id}:${request.ip}`))) {
    throw new RestError('QUERY_LIMIT_EXCEEDED', 'Too many requests');
  }
  const outcome = await context.dispatcher.invoke({
    method: methodName,
    params,
    auth,
    ip: request.ip,
    paramsInUrl: paramsInUrl(request.method, query),
    origin: `${request.protocol}://${request.host}`,
  });
  return reply.send({ ...outcome, time: restTime(startedAt, Date.now()) });
}
