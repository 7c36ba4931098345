import { localhostFetch } from '../../http-client/localhost-fetch.ts';
import { RestError } from '../../rest/rest-error.ts';
import type { PortalNetworkTrust } from './portal-network-trust.ts';

const TIMEOUT_MS = 5_000;

export class NetworkUnavailableError extends Error {
  readonly code = 'NETWORK_UNAVAILABLE';
}

/**
 * The portal's calls to its Network, over HTTP even when both roles share a process, so that
 * the portal never depends on the Network's storage. Authenticated with the portal's client
 * credentials (HTTP Basic, RFC 6749 §2.3.1).
 */
export class NetworkBackChannel {
  async call(
    trust: PortalNetworkTrust,
    path: string,
    body: URLSearchParams,
  ): Promise<{ status: number; json: unknown }> {
    const credentials = Buffer.from(
      `${encodeURIComponent(trust.clientId)}:${encodeURIComponent(trust.clientSecret)}`,
    ).toString('base64');
    let response: Awaited<ReturnType<typeof localhostFetch>>;
    try {
      response = await localhostFetch(`${trust.issuer}${path}`, {
        method: 'POST',
        headers: { authorization: `Basic ${credentials}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new NetworkUnavailableError('The Network did not answer');
    }
    const json: unknown = await response.json().catch(() => null);
    return { status: response.status, json };
  }

  /** Asks the Network to invite the owner of `email` to link this portal account. */
  async invite(trust: PortalNetworkTrust, user: { id: number; name: string; email: string }): Promise<void> {
    const { status, json } = await this.call(
      trust,
      '/rest/network.link.invite.json',
      new URLSearchParams({ USER_ID: String(user.id), USER_NAME: user.name, EMAIL: user.email }),
    );
    if (status !== 200) {
      const error = json as { error?: string; error_description?: string } | null;
      throw new RestError(
        error?.error ?? 'NETWORK_UNAVAILABLE',
        error?.error_description ?? 'The Network refused',
        502,
      );
    }
  }
}
