import { z } from 'zod';

/** One portal in a Network profile's list (`network.portal.list`). */
export const NetworkPortalSchema = z.object({
  /** The portal's client id at the Network; what `PORTAL_ID` means in Network methods. */
  id: z.string(),
  name: z.string(),
  /** The portal's origin: `https://acme.example.com`. */
  address: z.string(),
  /** The person's user id on that portal. */
  userId: z.number().int(),
  /** The person's name on that portal. */
  userName: z.string(),
  /** Whether the Network could reach the portal's address recently. */
  reachable: z.boolean(),
});
export type NetworkPortal = z.infer<typeof NetworkPortalSchema>;
