import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findInputFault, inputFaultError } from './input-faults.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The body answered, with HTTP 400, to input the edge refuses, for a route whose clients
     * expect the sign-in form's answer rather than REST's `{error, error_description}`.
     */
    badInputAnswer?: object;
  }
}

/**
 * Refuses, for every route, input no method could store or safely walk (see
 * {@link findInputFault}): in the path, the query, the body (JSON or form) and the cookies,
 * before any handler runs. Nothing reaches the database, so nothing changes.
 */
export function refuseFaultyInput(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    const fault =
      findInputFault(request.params) ??
      findInputFault(request.query) ??
      findInputFault(bodyValue(request)) ??
      findInputFault(request.cookies);
    if (!fault) return;
    const answer = request.routeOptions.config?.badInputAnswer;
    if (answer) return reply.status(400).send(answer);
    throw inputFaultError(fault);
  });
}

/** A form body is kept as its text for the route to read; its decoded fields are what counts. */
function bodyValue(request: FastifyRequest): unknown {
  const { body } = request;
  return typeof body === 'string' ? [...new URLSearchParams(body)] : body;
}
