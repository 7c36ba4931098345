import type { Portal } from '../../portals/portal.ts';
import { RestError } from '../../rest/rest-error.ts';
import { fullName } from '../../users/user.ts';
import type { UserStore } from '../../users/user-store.ts';
import type { NetworkBackChannel } from './network-back-channel.ts';
import type { PortalNetworkTrustStore } from './portal-network-trust.ts';

/**
 * Invites a portal user to link their account to a Network profile. The portal vouches for the
 * account; the Network mails the invitation to the user's e-mail on this portal, and only the
 * profile whose verified e-mail that is can accept it. For the admin CLI and the portal's pages.
 */
export async function inviteUserToNetwork(
  context: { users: UserStore; portalNetworkTrust: PortalNetworkTrustStore; networkBackChannel: NetworkBackChannel },
  portal: Portal,
  userId: number,
): Promise<void> {
  const trust = await context.portalNetworkTrust.find(portal.id);
  if (!trust) throw new RestError('NETWORK_NOT_CONFIGURED', 'This portal is not registered with a Network', 409);
  const user = await context.users.findById(portal.id, userId);
  if (!user?.active) throw new RestError('NOT_FOUND', 'No such user');
  if (!user.email) throw new RestError('INVALID_ARG_VALUE', 'The user has no e-mail to send the invitation to');
  await context.networkBackChannel.invite(trust, {
    id: user.id,
    name: fullName(user) || user.email,
    email: user.email,
  });
}
