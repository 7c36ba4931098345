import { readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { FeatureRoutes, RouteSettings } from '../modules/feature-module.ts';
import { isNetworkHost } from '../network/network-host.ts';
import type { Portal } from '../portals/portal.ts';
import type { PortalResolver } from '../portals/portal-resolver.ts';
import { RestError } from '../rest/rest-error.ts';
import { isDatabaseUnavailable } from '../storage/database-unavailable.ts';
import { uiRoutes } from '../web/ui-routes.ts';
import { refuseFaultyInput } from './input-guard.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The portal addressed by the request's host, or null for an unknown host. */
    portal: Portal | null;
  }
}

/** Bodies above this size are refused before they are parsed. */
const BODY_LIMIT_BYTES = 1024 * 1024;

export type ServerOptions = Pick<Config, 'tls' | 'trustProxy' | 'uiDistDir' | 'roles' | 'network'>;

export interface ServerParts {
  logger: Logger;
  portalResolver: Pick<PortalResolver, 'resolve'>;
  /** Every feature's routes, registered in this order where their role is on. */
  routes: readonly FeatureRoutes[];
}

export async function createServer(parts: ServerParts, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: parts.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: options.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    logController: new OneLinePerRequest(),
    frameworkErrors: answerUnreadableAddress,
    ...(options.tls
      ? { https: { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) } }
      : {}),
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const restError = toRestError(error);
    if (restError.code === 'SERVICE_UNAVAILABLE') request.log.warn({ err: error }, 'database unavailable');
    else if (restError.status >= 500) request.log.error({ err: error }, 'request failed');
    if (restError.retryAfterSeconds) reply.header('retry-after', String(restError.retryAfterSeconds));
    return reply.status(restError.status).send(restError.toJSON());
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send(new RestError('NOT_FOUND', 'Nothing is here').toJSON()),
  );
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.decorateRequest('portal', null);
  app.addHook('onRequest', async (request) => {
    // The Network's host is never a portal, whichever roles this process runs.
    const forPortals = options.roles.has('portal') && !isNetworkHost(request.headers.host, options.network.domain);
    request.portal = forPortals ? await parts.portalResolver.resolve(request.headers.host) : null;
  });
  await app.register(cookie);
  refuseFaultyInput(app);
  await app.register(async (scope) =>
    uiRoutes(scope, {
      distDir: options.uiDistDir,
      networkDomain: options.roles.has('network') ? options.network.domain : null,
    }),
  );
  const settings: RouteSettings = {
    tls: options.tls,
    uiDistDir: options.uiDistDir,
    network: options.network,
    listeningPort: () => listeningPort(app),
  };
  for (const routes of parts.routes) {
    if (routes.role !== 'any' && !options.roles.has(routes.role)) continue;
    await app.register(async (scope) => routes.register(scope, settings));
  }
  return app;
}

/**
 * One log line per request, when it completes, rather than Fastify's two: at info level every
 * request logs, and the second line cost about a sixth of a session call's CPU time
 * (bench/user-current.ts).
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error)
      reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** An address the router cannot read is answered in the REST shape, without echoing it back. */
function answerUnreadableAddress(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const refusal =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new RestError('INVALID_REQUEST', 'A part of the address is too long', 414)
      : new RestError('INVALID_REQUEST', 'The address is malformed');
  return reply.status(refusal.status).send(refusal.toJSON());
}

function listeningPort(app: FastifyInstance): number {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** Any failure as the REST error a client sees; nothing internal leaks into the description. */
function toRestError(error: FastifyError | RestError): RestError {
  if (error instanceof RestError) return error;
  if (isDatabaseUnavailable(error)) return RestError.serviceUnavailable();
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new RestError('PAYLOAD_TOO_LARGE', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new RestError('INVALID_REQUEST', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new RestError('INVALID_REQUEST', 'Unsupported content type', 415);
    default:
      if (error.statusCode && error.statusCode < 500)
        return new RestError('INVALID_REQUEST', 'Bad request', error.statusCode);
      return new RestError('INTERNAL_SERVER_ERROR', 'Internal server error');
  }
}
