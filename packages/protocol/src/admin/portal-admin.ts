import { z } from 'zod';
import { restBoolean, restList, restPositiveInt, restStart } from '../rest/rest-params.ts';

/**
 * `portaldesk.admin.*`: the portal administration pages' REST methods (users, incoming
 * webhooks, OAuth applications). Bitrix24 has no documented equivalent that sets a password or lists every webhook,
 * so these carry our own prefix; parameters are upper case as in the rest of the API.
 */

/** Same rule as the admin command line: 2–50 letters, digits, dots, dashes, underscores. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,49}$/i;
export const NEW_PASSWORD_MIN_LENGTH = 8;
export const NEW_PASSWORD_MAX_LENGTH = 256;
/** Webhook scope names, as the store accepts them. */
export const WEBHOOK_SCOPE_PATTERN = /^[a-z][a-z0-9_.]{0,63}$/;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const adminUserListParams = z.looseObject({ START: restStart.optional(), start: restStart.optional() });

export const adminUserAddParams = z.looseObject({
  FIRST_NAME: z.string().trim().min(1, 'enter a first name').max(100),
  LAST_NAME: optionalText(100),
  EMAIL: optionalText(254).pipe(z.email('not an e-mail address').optional()),
  /** Any usual format; without `+` it is read with the portal's country. */
  PHONE: optionalText(40),
  USERNAME: optionalText(50).pipe(
    z.string().regex(USERNAME_PATTERN, 'use 2–50 letters, digits, dots, dashes or underscores').optional(),
  ),
  ADMIN: restBoolean.optional().default(false),
  /** Without it the server makes a temporary password and answers it once. */
  PASSWORD: z
    .string()
    .min(NEW_PASSWORD_MIN_LENGTH, `at least ${NEW_PASSWORD_MIN_LENGTH} characters`)
    .max(NEW_PASSWORD_MAX_LENGTH)
    .optional(),
});

export const adminUserIdParams = z.looseObject({ ID: restPositiveInt });

/** `SCOPE`: one scope name or a list of them. */
const scopeList = restList(z.string().trim().toLowerCase().regex(WEBHOOK_SCOPE_PATTERN, 'not a scope name')).pipe(
  z.array(z.string()).min(1, 'choose at least one scope').max(50),
);

export const adminWebhookAddParams = z.looseObject({
  SCOPE: scopeList,
  TITLE: z.string().trim().max(200).optional().default(''),
});

export const adminWebhookIdParams = z.looseObject({ ID: restPositiveInt });

/** The most redirect URIs one application may register. */
export const MAX_APP_REDIRECT_URIS = 10;

export const adminAppAddParams = z.looseObject({
  NAME: z.string().trim().min(1, 'enter a name').max(100),
  /** Where the portal may send the browser back with a code: https, or http on loopback. */
  REDIRECT_URI: restList(z.string().trim().max(2048)).pipe(
    z.array(z.string()).min(1, 'give at least one redirect URI').max(MAX_APP_REDIRECT_URIS),
  ),
  SCOPE: scopeList,
});

/** An application is named by its client id, as its developer knows it. */
export const adminAppClientIdParams = z.looseObject({ CLIENT_ID: z.string().trim().min(1).max(200) });

/** A user as the administration pages see them. */
export interface AdminUserView {
  id: number;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  username: string | null;
  isAdmin: boolean;
  active: boolean;
  createdAt: string;
}

export interface AdminUserCreated {
  user: AdminUserView;
  /** Only when the server chose the password: shown once, to be handed to the new user. */
  temporaryPassword?: string;
}

export interface AdminUserActivation {
  user: AdminUserView;
  /** Sessions ended by a deactivation. */
  sessionsEnded: number;
}

/** An incoming webhook without its secret, which is never stored. */
export interface AdminWebhookView {
  id: number;
  userId: number;
  userName: string;
  title: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
}

export interface AdminWebhookCreated {
  webhook: AdminWebhookView;
  /** `/rest/<userId>/<secret>/`: prefix the portal's address, append a method. Shown once. */
  path: string;
}

/** An OAuth application registered on the portal, without its secret, which is never stored. */
export interface AdminAppView {
  clientId: string;
  name: string;
  redirectUris: string[];
  scopes: string[];
  createdAt: string;
  /** When the secret was last replaced; null while it is the first one. */
  secretRotatedAt: string | null;
}

/** Registering an app or replacing its secret: the secret is in this answer only. */
export interface AdminAppWithSecret {
  app: AdminAppView;
  clientSecret: string;
}
