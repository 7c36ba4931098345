import { CSRF_HEADER, isRestFailure, type RestSuccess } from '@portaldesk/protocol';
import type { FetchLike, FetchLikeResponse } from './fetch-like.ts';
import type { RestAuthentication } from './rest-authentication.ts';
import { RestCallError } from './rest-call-error.ts';
import { type RestRetryPolicy, restRetryDelay, SDK_RETRY_POLICY } from './rest-retry-policy.ts';

export type RestParams = Record<string, unknown>;

/**
 * Whatever carries a REST call: a {@link RestClient}, or the desktop's bridge to its main process
 * (the desktop chat window holds no session of its own).
 */
export type RestCaller = Pick<RestClient, 'call'>;

export interface RestClientOptions {
  fetch: FetchLike;
  /** The portal's origin; `''` for a page's own portal. Read at each call (a session may move). */
  baseUrl?: string | (() => string);
  authentication: RestAuthentication;
  /**
   * Called once when a call is refused as unauthorized (HTTP 401); when it resolves, the call is
   * made once more (the desktop signs in again with its application password). Without it, or
   * when it rejects, the 401 goes to the caller.
   */
  reauthenticate?(): Promise<void>;
  /** Told once per failed call when the server says the session is gone. */
  onUnauthorized?(error: RestCallError): void;
  retry?: RestRetryPolicy;
  /** Waits between attempts; passed in so that tests need not wait. */
  sleep?(ms: number): Promise<void>;
  random?(): number;
  /** No answer within this long is a network error; 0: no limit (the benchmarks measure instead). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The one Bitrix24 REST caller of the clients: `POST /rest/<method>.json` with JSON params and the
 * caller's authentication; the documented `{result, time}` / `{error, error_description}` answers;
 * errors as {@link RestCallError}; retries and rate-limit back-off as the official SDK does.
 */
export class RestClient {
  constructor(private readonly options: RestClientOptions) {}

  async call<T>(method: string, params: RestParams = {}): Promise<T> {
    return (await this.callWithEnvelope<T>(method, params)).result;
  }

  async callWithEnvelope<T>(method: string, params: RestParams = {}): Promise<RestSuccess<T>> {
    try {
      return await this.withRetries<T>(method, params);
    } catch (error) {
      if (!(error instanceof RestCallError) || !error.isUnauthorized || !this.options.reauthenticate) {
        if (error instanceof RestCallError && error.isUnauthorized) this.options.onUnauthorized?.(error);
        throw error;
      }
      await this.options.reauthenticate();
    }
    try {
      return await this.withRetries<T>(method, params);
    } catch (error) {
      if (error instanceof RestCallError && error.isUnauthorized) this.options.onUnauthorized?.(error);
      throw error;
    }
  }

  private async withRetries<T>(method: string, params: RestParams): Promise<RestSuccess<T>> {
    const policy = this.options.retry ?? SDK_RETRY_POLICY;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, params);
      } catch (error) {
        if (!(error instanceof RestCallError)) throw error;
        const wait = restRetryDelay(error, attempt, policy, this.options.random ?? Math.random);
        if (wait === null) throw error;
        await (this.options.sleep ?? sleep)(wait);
      }
    }
  }

  private async once<T>(method: string, params: RestParams): Promise<RestSuccess<T>> {
    const { headers, body } = this.request(params);
    const base = typeof this.options.baseUrl === 'function' ? this.options.baseUrl() : (this.options.baseUrl ?? '');
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let response: FetchLikeResponse;
    let text: string;
    try {
      response = await this.options.fetch(`${base}/rest/${encodeURIComponent(method)}.json`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        credentials: 'same-origin',
        ...(timeoutMs > 0 ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
      });
      text = await response.text();
    } catch {
      throw new RestCallError('NETWORK_ERROR', `The portal did not answer ${method}`, 0);
    }
    const answer = parseJson(text);
    if (isRestFailure(answer)) {
      throw new RestCallError(
        String(answer.error),
        String(answer.error_description ?? ''),
        response.status,
        retryAfterMs(response.headers.get('retry-after')),
      );
    }
    if (response.status >= 400 || !isSuccess<T>(answer)) {
      throw new RestCallError('INVALID_RESPONSE', `Unexpected answer (HTTP ${response.status})`, response.status);
    }
    return answer;
  }

  private request(params: RestParams): { headers: Record<string, string>; body: RestParams } {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    const auth = this.options.authentication;
    if (auth.kind === 'token') return { headers, body: { ...params, auth: auth.token() } };
    const sessid = auth.sessid();
    if (sessid) headers[CSRF_HEADER] = sessid;
    const cookie = auth.cookie?.();
    if (cookie) headers.cookie = cookie;
    return { headers, body: params };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `Retry-After` in seconds (the server's form) or as an HTTP date. */
function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1_000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isSuccess<T>(answer: unknown): answer is RestSuccess<T> {
  return typeof answer === 'object' && answer !== null && 'result' in answer;
}
