import { hashPassword } from '../auth/password-hasher.ts';
import { PortalRegistrationError } from '../network/clients/network-client-store.ts';
import type { NetworkContext } from '../network/network-context.ts';
import type { PortalNetworkTrustStore } from '../network/portal-side/portal-network-trust.ts';
import { registerPortalWithNetwork } from '../network/portal-side/register-portal.ts';
import type { Portal } from '../portals/portal.ts';
import type { PortalStore } from '../portals/portal-store.ts';
import { fullName } from '../users/user.ts';
import type { UserStore } from '../users/user-store.ts';
import { DEMO_NETWORK_PROFILE, DEMO_PASSWORD, DEMO_PORTALS } from './demo-data.ts';

interface DemoNetworkContext {
  network: NetworkContext;
  portalNetworkTrust: PortalNetworkTrustStore;
  portals: PortalStore;
  users: UserStore;
}

/**
 * Makes the demo portals trust the Network this process serves, and gives Carol a Network
 * profile linked to her account in each. Runs on every demo start, once the port (and so the
 * issuer) is known: a portal that trusts another issuer (the demo ran on another port before)
 * is registered again. Portals an admin created are never touched, nor a profile that exists.
 */
export async function seedDemoNetwork(
  context: DemoNetworkContext,
  portalUrl: (domain: string) => string,
): Promise<void> {
  const clients: { clientId: string; userId: number; userName: string }[] = [];
  for (const demo of DEMO_PORTALS) {
    const portal = await context.portals.findByDomain(demo.domain);
    if (!portal) return;
    const clientId = await trustedClientId(context, portal, portalUrl(demo.domain));
    const carol = await context.users.findByLogin(portal.id, { kind: 'email', value: DEMO_NETWORK_PROFILE.email });
    if (clientId && carol) clients.push({ clientId, userId: carol.id, userName: fullName(carol) });
  }
  const profileId = await demoProfileId(context);
  for (const client of clients) {
    await context.network.links.create({
      profileId,
      clientId: client.clientId,
      portalUserId: client.userId,
      portalUserName: client.userName,
    });
  }
}

async function trustedClientId(context: DemoNetworkContext, portal: Portal, url: string): Promise<string | null> {
  const trust = await context.portalNetworkTrust.find(portal.id);
  if (trust && trust.issuer === context.network.issuer.url) return trust.clientId;
  try {
    return (await registerPortalWithNetwork(context, portal, url)).clientId;
  } catch (error) {
    // Registered at this address before under a trust this portal no longer has: leave it.
    if (error instanceof PortalRegistrationError) return null;
    throw error;
  }
}

async function demoProfileId(context: DemoNetworkContext): Promise<number> {
  const { email, displayName } = DEMO_NETWORK_PROFILE;
  const existing = await context.network.profiles.findForSignIn({ kind: 'email', value: email });
  if (existing) return existing.profile.id;
  const profile = await context.network.profiles.create({
    email,
    displayName,
    passwordHash: await hashPassword(DEMO_PASSWORD),
  });
  await context.network.profiles.markEmailVerified(profile.id, email, context.network.clock.now());
  return profile.id;
}
