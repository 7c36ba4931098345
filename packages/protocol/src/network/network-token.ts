import { z } from 'zod';

/** The Network's answer at `/oauth/token/` (RFC 6749 §5.1, with OpenID Connect's `id_token`). */
export const NetworkTokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  /** Seconds from now. */
  expires_in: z.number().int(),
  /** Absolute Unix time, as Bitrix24 answers carry it. */
  expires: z.number().int(),
  scope: z.string(),
  id_token: z.string(),
});
export type NetworkTokenResponse = z.infer<typeof NetworkTokenResponseSchema>;

/** An OAuth error answer (RFC 6749 §5.2); the same shape as a REST error. */
export const OAuthErrorResponseSchema = z.object({ error: z.string(), error_description: z.string() });
export type OAuthErrorResponse = z.infer<typeof OAuthErrorResponseSchema>;

/** The client id of the Portaldesk desktop app at every Network: a public, native client. */
export const DESKTOP_NETWORK_CLIENT_ID = 'portaldesk-desktop';
/** Its registered redirect URI; any loopback port is accepted (RFC 8252 §7.3). */
export const DESKTOP_NETWORK_REDIRECT_PATH = '/callback';
/** What the desktop asks for: identity plus the right to list portals and open them. */
export const DESKTOP_NETWORK_SCOPE = 'openid portals';
