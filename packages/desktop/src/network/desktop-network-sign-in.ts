import type { NetworkPortalChoice } from '@portaldesk/protocol';
import type { DesktopFetch } from '../portal/desktop-http-client.ts';
import type { DesktopIdentity } from '../portal/desktop-sign-in.ts';
import { NetworkSignInError, startLoopbackSignIn } from './network-loopback-sign-in.ts';
import { NetworkPortalAccounts, type NetworkPortalSignIn } from './network-portal-accounts.ts';

/** The app window showing the Network's page; closing it by hand gives the sign-in up. */
export interface NetworkSignInWindow {
  close(): Promise<void>;
}

export interface DesktopNetworkSignInDependencies {
  /** The Network's address (its issuer); none when this desktop has no Network configured. */
  issuer: string | undefined;
  fetch: DesktopFetch;
  identity: DesktopIdentity;
  /** Opens the Network's own page in an app window; `closed` is called if the person closes it. */
  openSignInPage(url: string, closed: () => void): Promise<NetworkSignInWindow>;
  /** The accounts the desktop has: origin and user id on that portal. */
  accounts(): { origin: string; userId: number }[];
  /** Adds the account a portal opened; answers its id. */
  addAccount(signIn: NetworkPortalSignIn): Promise<string>;
  /** One sign-in at most at a time: a shorter limit for tests. */
  timeoutMs?: number;
}

/**
 * "Sign in with Network profile" in the main process. The Network's access token stays here,
 * in memory only: while it lasts, the login window lists the profile's portals again without a
 * new sign-in ("Add account" later); the desktop's accounts never depend on it.
 */
export class DesktopNetworkSignIn {
  private accessToken: string | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly deps: DesktopNetworkSignInDependencies) {}

  async portals(): Promise<NetworkPortalChoice[]> {
    const network = this.network();
    if (this.accessToken) {
      try {
        return this.choices(await network.list(this.accessToken));
      } catch (error) {
        if (!(error instanceof NetworkSignInError && error.code === 'NETWORK_SIGN_IN_DENIED')) throw error;
        this.accessToken = undefined;
      }
    }
    this.pending ??= this.signIn().finally(() => {
      this.pending = undefined;
    });
    this.accessToken = await this.pending;
    return this.choices(await network.list(this.accessToken));
  }

  async addAccounts(portalIds: readonly string[]): Promise<string[]> {
    const token = this.accessToken;
    if (!token) throw new NetworkSignInError('NETWORK_SIGN_IN_DENIED', 'Sign in with your Network profile first.');
    const ids: string[] = [];
    for (const portalId of new Set(portalIds)) {
      ids.push(await this.deps.addAccount(await this.network().signIn(token, portalId)));
    }
    return ids;
  }

  /** Signs the desktop out of the Network; the accounts it added stay signed in. */
  async signOut(): Promise<void> {
    const token = this.accessToken;
    this.accessToken = undefined;
    if (token) await this.network().signOut(token);
  }

  private async signIn(): Promise<string> {
    const issuer = this.issuer();
    const loopback = await startLoopbackSignIn(issuer, this.deps.fetch, this.deps.timeoutMs);
    const window = await this.deps.openSignInPage(loopback.authorizeUrl, () => loopback.cancel());
    try {
      return (await loopback.tokens).access_token;
    } finally {
      await window.close().catch(() => undefined);
    }
  }

  private choices(portals: Awaited<ReturnType<NetworkPortalAccounts['list']>>): NetworkPortalChoice[] {
    const accounts = this.deps.accounts();
    return portals.map((p) => ({
      id: p.id,
      name: p.name,
      address: p.address,
      userName: p.userName,
      reachable: p.reachable,
      added: accounts.some((a) => a.origin === new URL(p.address).origin && a.userId === p.userId),
    }));
  }

  private network(): NetworkPortalAccounts {
    return new NetworkPortalAccounts({ issuer: this.issuer(), fetch: this.deps.fetch, identity: this.deps.identity });
  }

  private issuer(): string {
    if (!this.deps.issuer) {
      throw new NetworkSignInError(
        'NETWORK_UNREACHABLE',
        'No Network is set up for this app (PORTALDESK_NETWORK_URL).',
      );
    }
    return this.deps.issuer;
  }
}
