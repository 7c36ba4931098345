import {
  type NetworkDesktopLoginSuccess,
  NetworkDesktopLoginSuccessSchema,
  type NetworkPortal,
  NetworkPortalSchema,
  PortalAssertionResultSchema,
} from '@portaldesk/protocol';
import type { DesktopFetch } from '../portal/desktop-http-client.ts';
import type { DesktopIdentity } from '../portal/desktop-sign-in.ts';
import { NetworkSignInError } from './network-loopback-sign-in.ts';

/** A portal account opened through the Network, ready to be added like any other account. */
export interface NetworkPortalSignIn {
  portal: { origin: string; host: string };
  result: NetworkDesktopLoginSuccess;
}

/**
 * What the desktop does with a Network access token (steps 4–6 at the top of the server's
 * `network-desktop-login-routes.ts`): lists the profile's portals, and opens an ordinary portal
 * session on each chosen one with a single-use assertion. The portal's answer carries an
 * application password and the login it signs in with, so the account reconnects later
 * without the Network.
 */
export class NetworkPortalAccounts {
  constructor(private readonly deps: { issuer: string; fetch: DesktopFetch; identity: DesktopIdentity }) {}

  async list(accessToken: string): Promise<NetworkPortal[]> {
    return NetworkPortalSchema.array().parse(await this.networkCall('network.portal.list', accessToken, {}));
  }

  async signIn(accessToken: string, portalId: string): Promise<NetworkPortalSignIn> {
    const { assertion, address } = PortalAssertionResultSchema.parse(
      await this.networkCall('network.portal.assertion', accessToken, { PORTAL_ID: portalId }),
    );
    const origin = new URL(address).origin;
    const response = await this.deps
      .fetch(`${origin}/network/desktop_login/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          assertion,
          user_os_mark: this.deps.identity.osMark,
          user_account: this.deps.identity.osAccount,
        }),
        signal: AbortSignal.timeout(15_000),
      })
      .catch(() => {
        throw new NetworkSignInError('NETWORK_UNREACHABLE', `${new URL(origin).host} cannot be reached`);
      });
    const answer = NetworkDesktopLoginSuccessSchema.safeParse(await response.json().catch(() => null));
    if (response.status !== 200 || !answer.success) {
      throw new NetworkSignInError('NETWORK_SIGN_IN_DENIED', `${new URL(origin).host} refused the sign-in`);
    }
    return { portal: { origin, host: new URL(origin).host }, result: answer.data };
  }

  /** Signs the desktop out of the Network (RFC 7009); the portal accounts stay signed in. */
  async signOut(accessToken: string): Promise<void> {
    await this.deps.fetch(`${this.deps.issuer}/oauth/revoke/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: accessToken }).toString(),
      signal: AbortSignal.timeout(15_000),
    });
  }

  private async networkCall(method: string, accessToken: string, params: Record<string, unknown>): Promise<unknown> {
    const response = await this.deps
      .fetch(`${this.deps.issuer}/rest/${method}.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify(params),
        signal: AbortSignal.timeout(15_000),
      })
      .catch(() => {
        throw new NetworkSignInError('NETWORK_UNREACHABLE', 'The Network cannot be reached');
      });
    const body = (await response.json().catch(() => null)) as { result?: unknown } | null;
    if (response.status !== 200 || body?.result === undefined) {
      throw new NetworkSignInError('NETWORK_SIGN_IN_DENIED', 'The Network refused the request; sign in again');
    }
    return body.result;
  }
}
