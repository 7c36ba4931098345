import { z } from 'zod';
import { restBoolean } from './rest-params.ts';

/** `methods`: with `full`, every method; with `scope`, that scope's (empty: the common ones). */
export const MethodsParamsSchema = z.object({
  full: restBoolean.default(false),
  scope: z.string().optional(),
});

/** `scope`: the caller's granted scopes, or with `full` every scope the portal knows. */
export const ScopeParamsSchema = z.object({
  full: restBoolean.default(false),
});
