import { RestCallError } from '@portaldesk/client';
import type { z } from 'zod';
import type { RestCaller, RestParams } from './rest-client.ts';

/** A REST call whose `result` must match `schema`; anything else is an `INVALID_RESPONSE`. */
export async function parsedCall<S extends z.ZodType>(
  rest: RestCaller,
  schema: S,
  method: string,
  params: RestParams = {},
): Promise<z.output<S>> {
  const result = schema.safeParse(await rest.call(method, params));
  if (!result.success) throw new RestCallError('INVALID_RESPONSE', `Unexpected ${method} answer`, 200);
  return result.data;
}
