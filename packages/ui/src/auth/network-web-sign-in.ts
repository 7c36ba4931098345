import {
  AFTER_SIGN_IN_PARAM,
  NETWORK_AVAILABILITY_PATH,
  NETWORK_LINK_PATH,
  NETWORK_WEB_SESSION_PATH,
  PortalNetworkAvailabilitySchema,
  PortalWebSessionSchema,
} from '@portaldesk/protocol';
import type { PortalSession } from '../session/portal-session.ts';

/**
 * "Sign in with Network" on a portal's page. The sign-in itself is a round of navigations
 * (portal → Network → portal) that ends on `/` with the portal's session cookie; the page then
 * asks the portal for that session's `sessid`.
 */

/** Whether this portal is registered with a Network, so that the button leads somewhere. */
export async function portalOffersNetwork(): Promise<boolean> {
  const answer = await getJson(NETWORK_AVAILABILITY_PATH);
  return PortalNetworkAvailabilitySchema.safeParse(answer).data?.available ?? false;
}

/** The session this browser has on the portal (from a Network sign-in), or null. */
export async function existingPortalSession(): Promise<PortalSession | null> {
  return PortalWebSessionSchema.safeParse(await getJson(NETWORK_WEB_SESSION_PATH)).data ?? null;
}

/** After signing in here, the Network's profile page asked to link this account: go on to it. */
export function continueNetworkLinkAfterSignIn(location: Pick<Location, 'search' | 'assign'>): boolean {
  if (new URLSearchParams(location.search).get(AFTER_SIGN_IN_PARAM) !== 'network-link') return false;
  location.assign(NETWORK_LINK_PATH);
  return true;
}

async function getJson(path: string): Promise<unknown> {
  try {
    const response = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    // The body is read either way: an unread body keeps the request open in the browser.
    const body: unknown = await response.json().catch(() => null);
    return response.ok ? body : null;
  } catch {
    return null;
  }
}
