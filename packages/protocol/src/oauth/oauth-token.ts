import { z } from 'zod';
import { PKCE_S256_CHALLENGE_PATTERN } from './pkce.ts';

/** What the token endpoint answers, with Bitrix24's field names. */
export interface OAuthTokenAnswer {
  access_token: string;
  refresh_token: string;
  /** Seconds the access token lives: 3600. */
  expires_in: number;
  /** When the access token expires, Unix time; the official SDK needs it. */
  expires: number;
  /** `https://<portal>/rest/`: REST calls start here. */
  client_endpoint: string;
  /** The REST address of the authorization server; `<this without /rest/>/oauth/token/` refreshes. */
  server_endpoint: string;
  member_id: string;
  /** Comma separated. */
  scope: string;
  /** The application's status as `app.info` gives it: `L` for a local application. */
  status: string;
  user_id: number;
  domain: string;
}

/** An error of the authorization server (RFC 6749 §5.2 codes). */
export interface OAuthErrorAnswer {
  error:
    | 'invalid_request'
    | 'invalid_client'
    | 'invalid_grant'
    | 'unauthorized_client'
    | 'unsupported_grant_type'
    | 'invalid_scope';
  error_description: string;
}

const tokenString = z.string().min(1).max(512);

export const AuthorizationCodeGrantSchema = z.object({
  grant_type: z.literal('authorization_code'),
  client_id: tokenString,
  client_secret: tokenString,
  code: tokenString,
  redirect_uri: z.string().max(2048).optional(),
  /** Judged with the code it goes with (PKCE rule, `pkce.ts`): a malformed one is `invalid_grant` and spends it. */
  code_verifier: z.string().optional(),
});

export const RefreshTokenGrantSchema = z.object({
  grant_type: z.literal('refresh_token'),
  client_id: tokenString,
  client_secret: tokenString,
  refresh_token: tokenString,
});

export const TokenRequestSchema = z.discriminatedUnion('grant_type', [
  AuthorizationCodeGrantSchema,
  RefreshTokenGrantSchema,
]);

export type TokenRequest = z.output<typeof TokenRequestSchema>;

/** `/oauth/authorize/`. `redirect_uri` is optional: Bitrix24 takes it from the app's registration. */
export const AuthorizeRequestSchema = z.object({
  client_id: tokenString,
  state: z.string().max(2048).optional(),
  redirect_uri: z.string().max(2048).optional(),
  response_type: z.literal('code').optional(),
  scope: z.string().max(2048).optional(),
  code_challenge: z
    .string()
    .regex(PKCE_S256_CHALLENGE_PATTERN, 'code_challenge must be a base64url SHA-256 digest')
    .optional(),
  code_challenge_method: z.literal('S256').optional(),
});

export type AuthorizeRequest = z.output<typeof AuthorizeRequestSchema>;
