import { CSRF_HEADER } from '@portaldesk/protocol';
import type { PortalSession } from '../accounts/account-sign-in.ts';
import type { DesktopFetch } from './desktop-http-client.ts';

export class PortalRestError extends Error {
  constructor(
    /** The portal's own error code (`expired_token`, `ACCESS_DENIED`…), or `NETWORK` when it was not reached. */
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'PortalRestError';
  }
}

export interface PortalRestClientOptions {
  fetch: DesktopFetch;
  /** The current session; `renew` signs in again (application password) when the portal says it ended. */
  session(): PortalSession;
  renew(): Promise<PortalSession>;
}

/** One account's REST client in the main process: session calls with the cookie and `sessid`. */
export class PortalRestClient {
  constructor(private readonly options: PortalRestClientOptions) {}

  async call<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    try {
      return await this.callOnce<T>(this.options.session(), method, params);
    } catch (error) {
      if (!(error instanceof PortalRestError) || error.status !== 401) throw error;
      return this.callOnce<T>(await this.options.renew(), method, params);
    }
  }

  private async callOnce<T>(session: PortalSession, method: string, params: Record<string, unknown>): Promise<T> {
    let response: Awaited<ReturnType<DesktopFetch>>;
    try {
      response = await this.options.fetch(`${session.origin}/rest/${method}.json`, {
        method: 'POST',
        headers: {
          cookie: [...session.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
          [CSRF_HEADER]: session.sessid,
          'content-type': 'application/json',
        },
        body: JSON.stringify(params),
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      throw new PortalRestError('NETWORK', `The portal did not answer ${method}`, 0);
    }
    const body = (await response.json().catch(() => ({}))) as {
      result?: T;
      error?: string;
      error_description?: string;
    };
    if (!response.ok || body.error) {
      throw new PortalRestError(
        body.error ?? 'HTTP_ERROR',
        body.error_description ?? `HTTP ${response.status}`,
        response.status,
      );
    }
    return body.result as T;
  }
}
