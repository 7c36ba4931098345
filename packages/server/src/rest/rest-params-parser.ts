import qs from 'qs';
import { refuseInputFault } from '../http/input-faults.ts';
import { RestError } from './rest-error.ts';

/**
 * Nested parameters as PHP reads them: `FILTER[ID]=1&USERS[]=2` becomes objects and arrays.
 * Checked for faults here as well as at the edge (`http/input-guard.ts`): `batch` parses its
 * commands' query strings, which the edge never sees.
 */
export function parseQueryParams(query: string): Record<string, unknown> {
  return refuseInputFault(
    qs.parse(query, { depth: 5, arrayLimit: 200, parameterLimit: 1000, allowDots: false }) as Record<string, unknown>,
  );
}

/** Query string and body merged; a body value wins over a query value of the same name. */
export function mergeParams(query: string, body: unknown): Record<string, unknown> {
  const fromQuery = parseQueryParams(query);
  if (body === undefined || body === null || body === '') return fromQuery;
  if (typeof body === 'string') return { ...fromQuery, ...parseQueryParams(body) };
  if (typeof body === 'object' && !Array.isArray(body)) {
    return { ...fromQuery, ...(body as Record<string, unknown>) };
  }
  throw new RestError('INVALID_REQUEST', 'The request body must be a JSON object or a form');
}
