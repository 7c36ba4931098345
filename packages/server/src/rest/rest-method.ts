import type { z } from 'zod';
import type { Clock } from '../clock/clock.ts';
import type { AuthContext } from './auth-context.ts';
import type { ParamsInUrl } from './secret-params.ts';

export interface RestResult {
  result: unknown;
  total?: number;
  next?: number;
}

export interface RestCall<Params> {
  auth: AuthContext;
  params: Params;
  clock: Clock;
  /** Address of the client, for audit and rate limits. */
  ip: string;
  /** Which parameters came in the request's address (`batch` passes it on to its commands). */
  paramsInUrl: ParamsInUrl;
  /** The address the caller used (`https://acme.example.com`), for absolute addresses in answers. */
  origin?: string;
}

/**
 * One REST method. Methods are registered in the {@link RestMethodRegistry}; the dispatcher
 * authenticates, checks the scope and CSRF, validates `params` and answers in the envelope.
 */
export interface RestMethod<Schema extends z.ZodType = z.ZodType> {
  /** Lower case, as Bitrix24 names it: `user.current`. */
  name: string;
  /**
   * The OAuth/webhook scope that grants it (any one of a list, as `user.current` is granted by
   * `user`, `user_basic` or `user_brief`); `basic` is granted to everyone.
   */
  scope: string | readonly string[];
  /** Reads only, so a session call needs no `sessid`. */
  readOnly: boolean;
  params: Schema;
  /**
   * Parameters that carry a password, a one-time code or another secret: the method refuses GET
   * and any of them in a query string (`ERROR_POST_REQUIRED`, see `secret-params.ts`).
   */
  secretParams?: readonly string[];
  handle(call: RestCall<z.output<Schema>>): Promise<RestResult>;
}

/** Declares a method with its parameter type inferred from the schema. */
export function restMethod<Schema extends z.ZodType>(method: RestMethod<Schema>): RestMethod<Schema> {
  return method;
}

/** `method`, declared as taking the secrets `secretParams` (see {@link RestMethod.secretParams}). */
export function takingSecrets<Method extends RestMethod>(secretParams: readonly string[], method: Method): Method {
  return { ...method, secretParams };
}

export function methodScopes(method: Pick<RestMethod, 'scope'>): readonly string[] {
  return typeof method.scope === 'string' ? [method.scope] : method.scope;
}

/** A paged list answer: `next` only when there is more. */
export function pagedResult(items: unknown[], total: number, start: number): RestResult {
  const next = start + items.length;
  return next < total ? { result: items, total, next } : { result: items, total };
}
