import type { Portal } from '../../portals/portal.ts';
import { PortalRegistrationError } from '../clients/network-client-store.ts';
import type { NetworkContext } from '../network-context.ts';
import type { PortalNetworkTrustStore } from './portal-network-trust.ts';

/**
 * Registers a portal with the Network this process runs and makes the portal trust it: the
 * Network gets a client for the portal (its redirect URI is `<portalUrl>/network/callback`),
 * the portal stores the Network's issuer and its own client credentials. For the admin CLI and
 * the demo. When the Network runs elsewhere, an operator runs `clients.registerPortal` there and
 * `portalNetworkTrust.save` here with the credentials it printed.
 */
export async function registerPortalWithNetwork(
  context: { network: NetworkContext; portalNetworkTrust: PortalNetworkTrustStore },
  portal: Portal,
  portalUrl: string,
): Promise<{ clientId: string }> {
  if (portal.domain === context.network.domain) {
    throw new PortalRegistrationError('INVALID_PORTAL_URL', 'The Network host cannot be a portal');
  }
  const { clientId, clientSecret } = await context.network.clients.registerPortal({ name: portal.name, portalUrl });
  await context.portalNetworkTrust.save({
    portalId: portal.id,
    issuer: context.network.issuer.url,
    clientId,
    clientSecret,
  });
  return { clientId };
}
