import { MethodsParamsSchema, ScopeParamsSchema } from '@portaldesk/protocol';
import { z } from 'zod';
import { type AuthContext, hasAnyScope } from '../auth-context.ts';
import { restDateTime } from '../rest-date.ts';
import { methodScopes, type RestMethod, restMethod } from '../rest-method.ts';
import type { RestMethodRegistry } from '../rest-method-registry.ts';

/** Methods about the API itself: the clock, the method list and the granted scopes. */
export function coreRestMethods(registry: RestMethodRegistry): RestMethod[] {
  return [
    restMethod({
      name: 'server.time',
      scope: 'basic',
      readOnly: true,
      params: z.object({}).passthrough(),
      handle: async ({ clock }) => ({ result: restDateTime(clock.now()) }),
    }),
    restMethod({
      name: 'methods',
      scope: 'basic',
      readOnly: true,
      params: MethodsParamsSchema,
      handle: async ({ auth, params }) => ({ result: listMethods(registry, auth, params) }),
    }),
    restMethod({
      name: 'scope',
      scope: 'basic',
      readOnly: true,
      params: ScopeParamsSchema,
      handle: async ({ auth, params }) => {
        const known = knownScopes(registry);
        if (params.full || auth.scopes === 'all') return { result: known };
        return { result: [...auth.scopes].filter((scope) => scope !== 'basic').sort() };
      },
    }),
  ];
}

function listMethods(
  registry: RestMethodRegistry,
  auth: AuthContext,
  params: z.output<typeof MethodsParamsSchema>,
): string[] {
  const methods = registry.all();
  const chosen = params.full
    ? methods
    : params.scope !== undefined
      ? // An empty `scope=` asks for the common methods every caller has.
        methods.filter((m) => methodScopes(m).includes(params.scope || 'basic'))
      : methods.filter((m) => hasAnyScope(auth, methodScopes(m)));
  return chosen.map((m) => m.name.toLowerCase());
}

/** Every scope some registered method needs; `basic` is implicit and not listed. */
export function knownScopes(registry: RestMethodRegistry): string[] {
  const scopes = new Set(registry.all().flatMap((m) => methodScopes(m)));
  scopes.delete('basic');
  return [...scopes].sort();
}
