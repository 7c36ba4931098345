import { RestError } from './rest-error.ts';
import { parseQueryParams } from './rest-params-parser.ts';

/** The parameters of a call that travelled in the request's address: every one, for GET. */
export type ParamsInUrl = ReadonlySet<string> | 'all';

export const NO_PARAMS_IN_URL: ParamsInUrl = new Set();

/** The parameters a request carried in its address, from its HTTP method and query string. */
export function paramsInUrl(httpMethod: string, query: string): ParamsInUrl {
  if (httpMethod !== 'POST') return 'all';
  return query === '' ? NO_PARAMS_IN_URL : new Set(Object.keys(parseQueryParams(query)));
}

/**
 * A method that takes a password or another secret (its declared `secretParams`) never reads it
 * from an address, which proxies, browser histories and access logs keep: it refuses GET, and a
 * POST that puts one of them in its query string, with `ERROR_POST_REQUIRED`, before anything runs.
 */
export function refuseSecretsInUrl(
  methodName: string,
  secretParams: readonly string[] | undefined,
  paramsInUrl: ParamsInUrl,
): void {
  if (!secretParams?.length) return;
  if (paramsInUrl !== 'all' && !secretParams.some((name) => paramsInUrl.has(name))) return;
  throw new RestError(
    'ERROR_POST_REQUIRED',
    `${methodName} takes a password or secret (${secretParams.join(', ')}): send it by POST, in the body`,
  );
}
