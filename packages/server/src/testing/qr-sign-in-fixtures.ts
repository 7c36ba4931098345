import { type QrFetch, type QrFetchResponse, QrSignInDesktopClient } from '@portaldesk/protocol';
import type { User } from '../users/user.ts';
import { createUserWithPassword } from './auth-fixtures.ts';
import { TestDesktop } from './test-desktop.ts';
import type { TestServer } from './test-server.ts';

export const TEST_DESKTOP_USER_AGENT = 'Portaldesk/0.1 (Linux; test)';
export const TEST_DEVICE = {
  deviceName: 'Ann’s laptop',
  os: 'Linux',
  user_os_mark: 'qr-machine',
  user_account: 'ann',
};

/**
 * QR sign-in's actors over real HTTP. The server trusts `X-Forwarded-For` (started with
 * `trustProxy`), so every actor plays a client at its own address, as on a real network, and
 * per-address rate limits count each one apart.
 */
export class QrSignInTestBed {
  private lastOctet = 1;
  private users = 0;

  constructor(private readonly server: TestServer) {}

  nextAddress(): string {
    this.lastOctet++;
    return `198.51.100.${this.lastOctet}`;
  }

  /** A fetch that comes from `ip` with the desktop app's user agent. */
  fetchFrom(ip: string): QrFetch {
    return (url, init = {}) =>
      this.server.fetch(url, {
        ...init,
        headers: { 'x-forwarded-for': ip, 'user-agent': TEST_DESKTOP_USER_AGENT, ...init.headers },
      }) as unknown as Promise<QrFetchResponse>;
  }

  /** A desktop at a fresh address that has started a QR sign-in and follows its events. */
  async desktop(domain = 'acme.localhost', ip = this.nextAddress()): Promise<QrSignInDesktopClient> {
    const client = await QrSignInDesktopClient.start(this.server.portalUrl(domain), TEST_DEVICE, this.fetchFrom(ip));
    client.listen();
    return client;
  }

  /**
   * Waits until the server has closed its event streams for the attempt: until then a stream's
   * periodic re-read may still record a step (such as `expired`) after a test moved the clock.
   */
  async serverStopsFollowing(attemptId: string): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (this.server.context.qrSignInSignals.followers(attemptId) > 0) {
      if (Date.now() > deadline) throw new Error(`the server still follows attempt ${attemptId}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** A phone signed in to the portal with a password, at a fresh address. */
  async phone(login: string, password: string, domain = 'acme.localhost'): Promise<TestDesktop> {
    const phone = new TestDesktop(this.server, domain, { user_os_mark: '', user_account: '' });
    phone.extraHeaders = { 'x-forwarded-for': this.nextAddress(), 'user-agent': 'Mobile Safari (test phone)' };
    const signedIn = await phone.signIn(login, password);
    if (signedIn.status !== 200) throw new Error(`phone sign-in failed: ${signedIn.status}`);
    return phone;
  }

  /**
   * A fresh user of the portal (password `pw`) with a phone signed in: each test has its own, so
   * that the per-user limits of one test do not spill into the next.
   */
  async userWithPhone(portalId: number, domain = 'acme.localhost'): Promise<{ user: User; phone: TestDesktop }> {
    this.users++;
    const username = `qr-user-${this.users}`;
    const user = await createUserWithPassword(
      this.server,
      portalId,
      { firstName: 'Qr', lastName: String(this.users), username },
      'pw',
    );
    return { user, phone: await this.phone(username, 'pw', domain) };
  }

  /** Counts that a successful QR sign-in raises: any attack must leave them as they were. */
  async credentialCounts(): Promise<{ sessions: number; appPasswords: number }> {
    const [row] = await this.server.context.db.query<{ sessions: number; app_passwords: number }>(
      `SELECT (SELECT count(*) FROM sessions WHERE revoked_at IS NULL)::int AS sessions,
              (SELECT count(*) FROM app_passwords WHERE revoked_at IS NULL)::int AS app_passwords`,
    );
    return { sessions: row?.sessions ?? 0, appPasswords: row?.app_passwords ?? 0 };
  }
}

export function scan(phone: TestDesktop, link: string) {
  return phone.rest('portaldesk.qrsignin.scan', { QR: link });
}
