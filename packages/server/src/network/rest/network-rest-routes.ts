import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RestError } from '../../rest/rest-error.ts';
import { mergeParams } from '../../rest/rest-params-parser.ts';
import { restTime } from '../../rest/rest-time.ts';
import { paramsInUrl, refuseSecretsInUrl } from '../../rest/secret-params.ts';
import type { NetworkContext } from '../network-context.ts';
import { identifyNetworkCaller } from './network-caller.ts';
import type { NetworkCaller, NetworkRestMethod } from './network-rest-method.ts';
import { networkRestMethods } from './network-rest-methods.ts';

/** `/rest/<method>[.json]` on the Network host, by GET or POST, JSON or form. */
export async function networkRestRoutes(app: FastifyInstance, network: NetworkContext): Promise<void> {
  const methods = new Map(networkRestMethods().map((m) => [m.name, m]));
  app.route({
    method: ['GET', 'POST'],
    url: '/rest/:method',
    config: { loggedParams: { method: (name: string) => methods.has(name.replace(/\.json$/i, '').toLowerCase()) } },
    handler: async (request: FastifyRequest<{ Params: { method: string } }>, reply) => {
      const startedAt = Date.now();
      const method = methods.get(request.params.method.replace(/\.json$/i, '').toLowerCase());
      if (!method) throw new RestError('ERROR_METHOD_NOT_FOUND', 'Method not found!');
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      refuseSecretsInUrl(method.name, method.secretParams, paramsInUrl(request.method, query));
      const params = mergeParams(query, request.body);
      const caller = await identifyNetworkCaller(network, {
        params,
        headers: request.headers,
        cookies: request.cookies,
      });
      authorize(method, caller);
      const parsed = method.params.safeParse(params);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
        throw new RestError('INVALID_ARG_VALUE', `${where}${issue?.message ?? 'invalid parameters'}`);
      }
      const result = await method.handle({ caller, params: parsed.data, network });
      return reply.header('cache-control', 'no-store').send({ result, time: restTime(startedAt, Date.now()) });
    },
  });
}

function authorize(method: NetworkRestMethod, caller: NetworkCaller): void {
  if (method.caller === 'anyone') return;
  if (caller.kind !== method.caller) {
    if (caller.kind === 'anyone') throw new RestError('NO_AUTH_FOUND', 'Wrong authorization data');
    throw new RestError('WRONG_AUTH_TYPE', 'This method cannot be called with this kind of authorization');
  }
  if (caller.kind !== 'profile') return;
  if (caller.scope !== 'all' && method.scope && !caller.scope.has(method.scope)) {
    throw new RestError('insufficient_scope', 'The request requires higher privileges than provided by the token');
  }
  if (!method.readOnly && !caller.mayChangeState) {
    throw new RestError('INVALID_CSRF', 'A session call that changes data must carry the sessid of the session');
  }
}
