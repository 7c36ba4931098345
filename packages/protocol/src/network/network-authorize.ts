import { z } from 'zod';

/**
 * The Network's sign-in page and `/oauth/authorize/`: the page posts JSON with `action:
 * "describe"` to learn whom the request is for, then `action: "consent"` (with `sessid`) to get
 * where to go next. Both carry the authorization request's own parameters unchanged.
 */
export const NetworkAuthorizeDescriptionSchema = z.object({
  /** The portal's name, or the desktop app's. */
  clientName: z.string(),
  clientKind: z.enum(['portal', 'native']),
  /** A portal asks to add the account signed in there to the profile. */
  linking: z.boolean(),
  /** The profile signed in on the Network in this browser, if any; the page asks it to continue. */
  signedInAs: z.object({ displayName: z.string(), sessid: z.string() }).nullable(),
});
export type NetworkAuthorizeDescription = z.infer<typeof NetworkAuthorizeDescriptionSchema>;

/** Where the browser goes next: the client's redirect URI with `code` (or `error`), `state`, `iss`. */
export const NetworkAuthorizeRedirectSchema = z.object({ redirect: z.string() });
export type NetworkAuthorizeRedirect = z.infer<typeof NetworkAuthorizeRedirectSchema>;

/** `POST /network/login/` on the Network host, answered like the desktop password sign-in. */
export const NETWORK_LOGIN_PATH = '/network/login/';
export const NETWORK_LOGOUT_PATH = '/network/logout/';

/** A successful Network sign-in: the profile and its session's CSRF token. */
export const NetworkSignInSuccessSchema = z.object({
  success: z.literal(true),
  profileId: z.string(),
  sessid: z.string(),
});
export const NetworkSignInAnswerSchema = z.union([
  NetworkSignInSuccessSchema,
  z.object({ success: z.literal(false), needOtp: z.boolean().optional(), code: z.string().optional() }),
]);
