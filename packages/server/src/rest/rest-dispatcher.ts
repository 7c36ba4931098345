import type { Clock } from '../clock/clock.ts';
import { type AuthContext, hasAnyScope } from './auth-context.ts';
import { RestError } from './rest-error.ts';
import { methodScopes, type RestResult } from './rest-method.ts';
import type { RestMethodRegistry } from './rest-method-registry.ts';

export interface RestInvocation {
  method: string;
  params: Record<string, unknown>;
  auth: AuthContext;
  ip: string;
}

/** Finds the method, enforces scope and CSRF, validates params and runs it. Shared by `batch`. */
export class RestDispatcher {
  constructor(
    private readonly registry: RestMethodRegistry,
    private readonly clock: Clock,
  ) {}

  async invoke(invocation: RestInvocation): Promise<RestResult> {
    const method = this.registry.find(invocation.method);
    if (!method) throw new RestError('ERROR_METHOD_NOT_FOUND', 'Method not found!');
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
    return method.handle({ auth, params: parsed.data, clock: this.clock, ip: invocation.ip });
  }
}
