import { z } from 'zod';
import { DesktopLoginSuccessSchema } from '../auth/desktop-login.ts';

/** `network.portal.assertion` result: a short-lived, single-use proof for one portal. */
export const PortalAssertionResultSchema = z.object({
  assertion: z.string(),
  /** Where to present it: `<address>/network/desktop_login/`. */
  address: z.string(),
  expires_in: z.number().int(),
});
export type PortalAssertionResult = z.infer<typeof PortalAssertionResultSchema>;

/** The JOSE `typ` of a portal assertion, so that no other token of the Network passes for one. */
export const PORTAL_ASSERTION_TYPE = 'portal-assertion+jwt';

/** The form the desktop posts to a portal's `/network/desktop_login/`. */
export const NetworkDesktopLoginFormSchema = z.object({
  assertion: z.string().min(1).max(8192),
  user_os_mark: z.string().max(255).optional(),
  user_account: z.string().max(255).optional(),
  json: z.string().optional(),
});
export type NetworkDesktopLoginForm = z.infer<typeof NetworkDesktopLoginFormSchema>;

/**
 * A portal's answer to `/network/desktop_login/`: the password sign-in's answer plus the login
 * the application password signs in with later (the person never typed one for this portal).
 */
export const NetworkDesktopLoginSuccessSchema = DesktopLoginSuccessSchema.extend({
  appPassword: z.string().min(1),
  login: z.string().min(1),
});
export type NetworkDesktopLoginSuccess = z.infer<typeof NetworkDesktopLoginSuccessSchema>;
