import { z } from 'zod';

/*
 * A portal's web pages and its Network: where "Sign in with Network" starts and what the page
 * asks the portal afterwards.
 */

/** Starts "Sign in with Network" on a portal (a navigation, not a fetch). */
export const NETWORK_SIGN_IN_PATH = '/network/signin';
/** Starts linking the account signed in on this portal to a Network profile. */
export const NETWORK_LINK_PATH = '/network/link';
/** `GET`: whether this portal is registered with a Network. */
export const NETWORK_AVAILABILITY_PATH = '/network/available';
/** `GET`: the session this browser has on the portal, after a Network sign-in landed on `/`. */
export const NETWORK_WEB_SESSION_PATH = '/network/session';
/** `/?after_sign_in=network-link`: the portal's page goes on to link the account once signed in. */
export const AFTER_SIGN_IN_PARAM = 'after_sign_in';

export const PortalNetworkAvailabilitySchema = z.object({ available: z.boolean() });
export type PortalNetworkAvailability = z.infer<typeof PortalNetworkAvailabilitySchema>;

export const PortalWebSessionSchema = z.object({ userId: z.number().int().positive(), sessid: z.string().min(1) });
export type PortalWebSession = z.infer<typeof PortalWebSessionSchema>;
