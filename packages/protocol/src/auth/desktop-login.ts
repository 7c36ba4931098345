import { z } from 'zod';

/**
 * The desktop's password sign-in, `POST https://<portal>/desktop_app/login/`, as Bitrix24
 * defines it: a form, answered with JSON (we always answer JSON, `json=y` or not).
 */
export const DESKTOP_LOGIN_PATH = '/desktop_app/login/';

/** Bitrix24's session cookie; `sessionId` in the answer is its value. */
export const SESSION_COOKIE = 'PHPSESSID';

/**
 * The known-client cookie set after a successful sign-in. A client that sends it back keeps
 * signing in while strangers guessing that account's password are locked out.
 */
export const DEVICE_COOKIE = 'PD_DEVICE';

/** `X-Bitrix-Csrf-Token`: the header that may carry `sessid` instead of the parameter. */
export const CSRF_HEADER = 'x-bitrix-csrf-token';

/** Revision of the desktop protocol the server speaks (Bitrix24's `desktopRevision`). */
export const DESKTOP_REVISION = 8;

const yesNo = z
  .string()
  .optional()
  .transform((value) => value?.trim().toUpperCase() === 'Y');

export const DesktopLoginFormSchema = z.object({
  action: z.literal('login'),
  /** An e-mail, a phone number in any usual format, or a user name. */
  login: z.string().trim().min(1).max(255),
  /** The account password, or an application password issued to this desktop. */
  password: z.string().min(1).max(1024),
  /** A 6-digit code from the authenticator app, or one of the recovery codes. */
  otp: z
    .string()
    .max(64)
    .optional()
    .transform((value) => value?.trim() || undefined),
  /** `y`: issue a new application password for this desktop even without a code. */
  renew_password: yesNo,
  /** Identifies the machine. */
  user_os_mark: z.string().max(255).optional().default(''),
  /** Identifies the operating-system user on that machine. */
  user_account: z.string().max(255).optional().default(''),
  json: z.string().optional(),
});

export type DesktopLoginForm = z.input<typeof DesktopLoginFormSchema>;
export type DesktopLoginRequest = z.output<typeof DesktopLoginFormSchema>;

/**
 * Why a sign-in failed, when the reason may be told. A wrong login and a wrong password carry
 * no code at all, so that nobody can learn which accounts exist.
 */
export const DESKTOP_LOGIN_FAILURE_CODES = [
  /** The password was right but the account is deactivated. */
  'blocked_type',
  /** The code from the authenticator app (or the recovery code) was wrong or already used. */
  'wrong_otp',
  /** Too many failed attempts; try again after `Retry-After` seconds (HTTP 429). */
  'too_many_attempts',
  /** The form is malformed (HTTP 400). */
  'bad_request',
] as const;

export type DesktopLoginFailureCode = (typeof DESKTOP_LOGIN_FAILURE_CODES)[number];

export const DesktopLoginSuccessSchema = z.object({
  success: z.literal(true),
  desktopRevision: z.number().int(),
  userId: z.number().int().positive(),
  /** The value of the `PHPSESSID` cookie. */
  sessionId: z.string().min(1),
  /** The `sessid` (CSRF token) every state-changing session call carries. */
  bitrixSessionId: z.string().min(1),
  /** A new application password for this desktop: store it and send it instead of the password. */
  appPassword: z.string().min(1).optional(),
});

export const DesktopLoginFailureSchema = z.object({
  success: z.literal(false),
  /** The password was right; send the same form again with `otp`. */
  needOtp: z.literal(true).optional(),
  code: z.enum(DESKTOP_LOGIN_FAILURE_CODES).optional(),
});

export const DesktopLoginAnswerSchema = z.discriminatedUnion('success', [
  DesktopLoginSuccessSchema,
  DesktopLoginFailureSchema,
]);

export type DesktopLoginSuccess = z.infer<typeof DesktopLoginSuccessSchema>;
export type DesktopLoginFailure = z.infer<typeof DesktopLoginFailureSchema>;
export type DesktopLoginAnswer = z.infer<typeof DesktopLoginAnswerSchema>;
