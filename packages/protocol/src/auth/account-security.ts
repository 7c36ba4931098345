import { z } from 'zod';

/**
 * The `portaldesk.*` REST methods with which a signed-in user sees and ends their sessions and
 * application passwords, changes their password and manages two-factor sign-in: their parameters
 * (as the server reads them) and their results (as the web pages read them).
 */

/** Shortest password a person may choose; the admin CLI asks the same. */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

/** `portaldesk.session.list` item. */
export const ActiveSessionInfoSchema = z.object({
  id: z.string(),
  /** The session this request came through. */
  current: z.boolean(),
  /** How it was opened. */
  method: z.enum(['password', 'app_password']),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type ActiveSessionInfo = z.infer<typeof ActiveSessionInfoSchema>;

/** `portaldesk.apppassword.list` item; the password itself is never shown again. */
export const AppPasswordInfoSchema = z.object({
  id: z.number().int(),
  /** `user_os_mark` of the desktop it was issued to. */
  osMark: z.string(),
  /** `user_account` of the desktop it was issued to. */
  osAccount: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type AppPasswordInfo = z.infer<typeof AppPasswordInfoSchema>;

/** `portaldesk.otp.status`. */
export const OtpStatusSchema = z.object({
  enabled: z.boolean(),
  /** Unused recovery codes left. */
  recoveryCodesLeft: z.number().int(),
});
export type OtpStatus = z.infer<typeof OtpStatusSchema>;

/** `portaldesk.otp.enroll`: show the QR (or the secret) in the authenticator app, then confirm. */
export const OtpEnrollmentSchema = z.object({
  /** Base32, for typing into the app by hand. */
  secret: z.string(),
  /** `otpauth://totp/…`, what the QR code carries. */
  uri: z.string(),
  /** The URI as a PNG QR image, a `data:` URL (for clients that cannot draw one themselves). */
  qrImage: z.string(),
});
export type OtpEnrollment = z.infer<typeof OtpEnrollmentSchema>;

/** `portaldesk.otp.confirm`: shown once; each code signs in once in place of the 6-digit code. */
export const OtpConfirmationSchema = z.object({
  enabled: z.literal(true),
  recoveryCodes: z.array(z.string()),
});
export type OtpConfirmation = z.infer<typeof OtpConfirmationSchema>;

/** `portaldesk.session.revokeOthers` and `portaldesk.password.change`: how many sessions ended. */
export const SessionsEndedSchema = z.object({ revokedSessions: z.number().int() });
export type SessionsEnded = z.infer<typeof SessionsEndedSchema>;

const currentPassword = z.string().min(1).max(MAX_PASSWORD_LENGTH);

/** `portaldesk.password.change`: the current password proves it is the user, not a left-open tab. */
export const PasswordChangeParamsSchema = z
  .object({
    CURRENT_PASSWORD: currentPassword,
    NEW_PASSWORD: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `The new password must have at least ${MIN_PASSWORD_LENGTH} characters`)
      .max(MAX_PASSWORD_LENGTH, `The new password must have at most ${MAX_PASSWORD_LENGTH} characters`),
  })
  .passthrough();

/** `portaldesk.otp.confirm`: a code from the app. */
export const OtpCodeParamsSchema = z.object({ CODE: z.string().trim().min(1).max(64) }).passthrough();

/** `portaldesk.otp.disable`: a current code (or recovery code), or the account password. */
export const OtpDisableParamsSchema = z
  .object({
    CODE: z.string().trim().min(1).max(64).optional(),
    PASSWORD: currentPassword.optional(),
  })
  .passthrough()
  .refine((p) => p.CODE !== undefined || p.PASSWORD !== undefined, {
    message: 'Give CODE (from the authenticator app, or a recovery code) or PASSWORD',
  });
