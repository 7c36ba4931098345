import { z } from 'zod';

/**
 * The portal's consent page at `/oauth/authorize/`. It posts JSON (a cross-site form cannot) with
 * the authorization request's own parameters and an `action`: `describe` tells it which app asks
 * for what and who is signed in; `allow` and `deny`, with the session's `sessid`, answer where
 * the browser goes next. An error answers `{error, error_description}`.
 */
export const OAUTH_CONSENT_ACTIONS = ['describe', 'allow', 'deny'] as const;
export type OAuthConsentAction = (typeof OAUTH_CONSENT_ACTIONS)[number];

export const OAuthConsentDescriptionSchema = z.object({
  app: z.object({ name: z.string(), clientId: z.string() }),
  portal: z.object({ name: z.string(), address: z.string() }),
  /** What the application asks for now. */
  scopes: z.array(z.string()),
  /** The ones this user allowed it before: the others are new to them. */
  allowedBefore: z.array(z.string()),
  /** Who is signed in to the portal in this browser; null: the page signs in first. */
  signedInAs: z.object({ name: z.string(), sessid: z.string() }).nullable(),
});
export type OAuthConsentDescription = z.infer<typeof OAuthConsentDescriptionSchema>;

/** Where the browser goes next: the app's redirect URI with `code` (or `error`) and `state`. */
export const OAuthConsentRedirectSchema = z.object({ redirect: z.string() });
export type OAuthConsentRedirect = z.infer<typeof OAuthConsentRedirectSchema>;
