import qs from 'qs';
import { RestError } from './rest-error.ts';

/** Nested parameters as PHP reads them: `FILTER[ID]=1&USERS[]=2` becomes objects and arrays. */
export function parseQueryParams(query: string): Record<string, unknown> {
  return refuseNul(
    qs.parse(query, { depth: 5, arrayLimit: 200, parameterLimit: 1000, allowDots: false }) as Record<string, unknown>,
  );
}

/** Query string and body merged; a body value wins over a query value of the same name. */
export function mergeParams(query: string, body: unknown): Record<string, unknown> {
  const fromQuery = parseQueryParams(query);
  if (body === undefined || body === null || body === '') return fromQuery;
  if (typeof body === 'string') return { ...fromQuery, ...parseQueryParams(body) };
  if (typeof body === 'object' && !Array.isArray(body)) {
    return { ...fromQuery, ...refuseNul(body as Record<string, unknown>) };
  }
  throw new RestError('INVALID_REQUEST', 'The request body must be a JSON object or a form');
}

/**
 * No text the portal stores may hold U+0000: PostgreSQL refuses it, so it would fail deep inside
 * a method as an internal error. It is refused here, for every name and value, before anything runs.
 */
function refuseNul(params: Record<string, unknown>): Record<string, unknown> {
  const pending: unknown[] = [params];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000'))
        throw new RestError('INVALID_REQUEST', 'Parameters must not contain NUL characters');
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) pending.push(key, inner);
    }
  }
  return params;
}
