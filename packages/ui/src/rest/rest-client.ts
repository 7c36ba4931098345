import { isRestFailure, type RestSuccess } from '@portaldesk/protocol';
import type { FetchLike } from './fetch-like.ts';
import { RestCallError } from './rest-call-error.ts';

export type RestParams = Record<string, unknown>;

/**
 * Whatever carries a REST call: the page's own session (`RestClient`), or the desktop's bridge to
 * its main process (the desktop chat window holds no session of its own).
 */
export type RestCaller = Pick<RestClient, 'call'>;

export interface RestClientOptions {
  fetch: FetchLike;
  /** `''` for the page's own portal; an origin in tests. */
  baseUrl?: string;
  /** The session's CSRF token (`bitrixSessionId` from sign-in), read at each call. */
  sessid: () => string | null;
  /** Told once per failed call when the server says the session is gone. */
  onUnauthorized?: (error: RestCallError) => void;
}

/**
 * Bitrix24 REST over the browser's session: `POST /rest/<method>.json` with the cookie and
 * `sessid` in the JSON body (never in the URL, where it would end up in logs and history).
 */
export class RestClient {
  constructor(private readonly options: RestClientOptions) {}

  async call<T>(method: string, params: RestParams = {}): Promise<T> {
    return (await this.callWithEnvelope<T>(method, params)).result;
  }

  async callWithEnvelope<T>(method: string, params: RestParams = {}): Promise<RestSuccess<T>> {
    const sessid = this.options.sessid();
    let response: Awaited<ReturnType<FetchLike>>;
    let text: string;
    try {
      response = await this.options.fetch(`${this.options.baseUrl ?? ''}/rest/${encodeURIComponent(method)}.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(sessid ? { ...params, sessid } : params),
        credentials: 'same-origin',
      });
      text = await response.text();
    } catch {
      throw new RestCallError('NETWORK_ERROR', 'The portal could not be reached', 0);
    }
    const answer = parseJson(text);
    if (isRestFailure(answer)) {
      const error = new RestCallError(String(answer.error), String(answer.error_description ?? ''), response.status);
      if (error.isUnauthorized) this.options.onUnauthorized?.(error);
      throw error;
    }
    if (!isSuccess<T>(answer)) {
      throw new RestCallError('INVALID_RESPONSE', `Unexpected answer (HTTP ${response.status})`, response.status);
    }
    return answer;
  }
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
