import type { Clock } from '../clock/clock.ts';
import { type AuthContext, hasAnyScope } from './auth-context.ts';
import { RestError } from './rest-error.ts';
import { methodScopes, type RestResult } from './rest-method.ts';
import type { RestMethodRegistry } from './rest-method-registry.ts';
import { NO_PARAMS_IN_URL, type ParamsInUrl, refuseSecretsInUrl } from './secret-params.ts';

export interface RestInvocation {
  method: string;
  params: Record<string, unknown>;
  auth: AuthContext;
  ip: string;
  /** Absent for a call made inside the server, which travels in no address. */
  paramsInUrl?: ParamsInUrl;
  /** `https://acme.example.com`: the address the caller used, for addresses in answers. */
  origin?: string;
}

/**
 * Finds the method, keeps its secrets out of addresses, enforces scope and CSRF, validates
 * params and runs it. Shared by `batch`.
 */
export class RestDispatcher {
  constructor(
    private readonly registry: RestMethodRegistry,
    private readonly clock: Clock,
  ) {}

  async invoke(invocation: RestInvocation): Promise<RestResult> {
    const method = this.registry.find(invocation.method);
    if (!method) throw new RestError('ERROR_METHOD_NOT_FOUND', 'Method not found!');
    const paramsInUrl = invocation.paramsInUrl ?? NO_PARAMS_IN_URL;
    refuseSecretsInUrl(method.name, method.secretParams, paramsInUrl);
    const { auth } = invocation;
    if (!hasAnyScope(auth, methodScopes(method))) {
      throw new RestError('insufficient_scope', 'The request requires higher privileges than provided by the token');
    }
    if (!method.readOnly && !auth.mayChangeState) {
      throw new RestError('INVALID_CSRF', 'A session call that changes data must carry the sessid of the session');
    }
    const parsed = method.params.safeParse(invocation.params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      throw new RestError('INVALID_ARG_VALUE', `${where}${issue?.message ?? 'invalid parameters'}`);
    }
    return method.handle({
      auth,
      params: parsed.data,
      clock: this.clock,
      ip: invocation.ip,
      paramsInUrl,
      ...(invocation.origin ? { origin: invocation.origin } : {}),
    });
  }
}
