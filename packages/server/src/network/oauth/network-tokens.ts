import { PORTAL_ASSERTION_TYPE } from '@portaldesk/protocol';
import type { NetworkContext } from '../network-context.ts';
import type { Profile } from '../profiles/profile.ts';

export const ID_TOKEN_TTL_SECONDS = 5 * 60;
export const PORTAL_ASSERTION_TTL_SECONDS = 60;

/**
 * An OpenID Connect ID token for `clientId`. For a portal client it also names the person's
 * account on that portal (`portal_user_id`), which is how the portal maps the Network identity
 * to its local user.
 */
export function signIdToken(
  network: NetworkContext,
  input: { clientId: string; profile: Profile; nonce: string | null; portalUserId?: number },
): Promise<string> {
  return network.keys.sign(
    {
      name: input.profile.displayName,
      ...(input.nonce ? { nonce: input.nonce } : {}),
      ...(input.portalUserId !== undefined ? { portal_user_id: input.portalUserId } : {}),
    },
    {
      type: 'JWT',
      issuer: network.issuer.url,
      audience: input.clientId,
      subject: input.profile.publicId,
      expiresInSeconds: ID_TOKEN_TTL_SECONDS,
      now: network.clock.now(),
    },
  );
}

/**
 * A portal assertion: the Network's statement "this profile is user N of portal P", for that
 * portal only (audience = its client id), valid one minute, single use at the portal (`jti`).
 * Its own `typ` keeps it from being confused with an ID token.
 */
export function signPortalAssertion(
  network: NetworkContext,
  input: { clientId: string; profile: Profile; portalUserId: number },
): Promise<string> {
  return network.keys.sign(
    { portal_user_id: input.portalUserId },
    {
      type: PORTAL_ASSERTION_TYPE,
      issuer: network.issuer.url,
      audience: input.clientId,
      subject: input.profile.publicId,
      expiresInSeconds: PORTAL_ASSERTION_TTL_SECONDS,
      now: network.clock.now(),
    },
  );
}
