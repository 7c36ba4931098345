import { CSRF_HEADER, DESKTOP_LOGIN_PATH, type DesktopLoginAnswer, type DesktopLoginForm } from '@portaldesk/protocol';
import type { TestServer } from './test-server.ts';

export interface RestReply {
  status: number;
  body: { result?: unknown; error?: string; error_description?: string };
}

/**
 * One client of one portal as a test sees it: a desktop (or browser) with its own cookie jar,
 * machine mark and OS account, signing in over real HTTP and calling REST with its session.
 */
export class TestDesktop {
  readonly cookies = new Map<string, string>();
  sessid: string | undefined;
  /** Sent with every request, e.g. `X-Forwarded-For` to play a client at another address. */
  extraHeaders: Record<string, string> = {};

  constructor(
    private readonly server: TestServer,
    readonly domain: string,
    readonly binding: { user_os_mark: string; user_account: string } = {
      user_os_mark: 'machine-1',
      user_account: 'ann',
    },
  ) {}

  async signIn(
    login: string,
    password: string,
    extra: Partial<DesktopLoginForm> = {},
  ): Promise<{ status: number; body: DesktopLoginAnswer; setCookies: string[]; headers: Headers }> {
    const form = new URLSearchParams({ action: 'login', login, password, json: 'y', ...this.binding });
    for (const [name, value] of Object.entries(extra)) if (typeof value === 'string') form.set(name, value);
    const res = await this.server.fetch(`${this.server.portalUrl(this.domain)}${DESKTOP_LOGIN_PATH}`, {
      method: 'POST',
      body: form,
      headers: { ...this.extraHeaders, ...this.cookieHeader() },
    });
    const setCookies = res.headers.getSetCookie();
    this.keepCookies(setCookies);
    const body = (await res.json()) as DesktopLoginAnswer;
    if (body.success) this.sessid = body.bitrixSessionId;
    return { status: res.status, body, setCookies, headers: res.headers as unknown as Headers };
  }

  /** A REST call with the session cookie; `sessid` is sent unless `withSessid` is false. */
  async rest(method: string, params: Record<string, unknown> = {}, options: { withSessid?: boolean } = {}) {
    const withSessid = options.withSessid ?? true;
    const res = await this.server.fetch(`${this.server.portalUrl(this.domain)}/rest/${method}.json`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...this.extraHeaders,
        ...this.cookieHeader(),
        ...(withSessid && this.sessid ? { [CSRF_HEADER]: this.sessid } : {}),
      },
      body: JSON.stringify(params),
    });
    return { status: res.status, body: (await res.json()) as RestReply['body'] };
  }

  cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }

  private keepCookies(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
}
