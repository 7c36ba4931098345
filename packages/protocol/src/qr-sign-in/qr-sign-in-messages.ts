import { z } from 'zod';
import { DesktopLoginSuccessSchema } from '../auth/desktop-login.ts';

/**
 * QR sign-in, the wire protocol. The desktop speaks to `/desktop_app/qr/…` (it has no session
 * yet; it proves itself with the secret it made, sent as `Authorization: Bearer <secret>`); the
 * signed-in phone speaks REST (`portaldesk.qrsignin.*`, session and `sessid` only).
 *
 *   desktop                          server                               phone
 *   keys + secret ─ create ─────────▶ attempt, QR link (pointer ≤ 30 s)
 *   ◀── events (SSE) ───────────────  waiting_for_scan
 *   rotate every ≤ 30 s ───────────▶ new pointer, old one dead
 *                                     ◀──────────────── scan (link)        shows device, IP, time,
 *   ◀── scanned                                                             check code; Deny default
 *   confirm (code typed) ──────────▶ match? (3 tries)
 *   ◀── waiting_for_approval                              ◀─── approve
 *   ◀── approved {sealed}             redeem code sealed to the desktop's key (HPKE)
 *   redeem (opened code + secret) ─▶ session + app password, cookie
 */
export const QR_SIGN_IN_BASE_PATH = '/desktop_app/qr';

/** Every how many milliseconds the desktop fetches a fresh pointer; a pointer lives no longer. */
export const QR_POINTER_LIFETIME_MS = 30_000;
/** The whole attempt, from creation to approval. */
export const QR_ATTEMPT_LIFETIME_MS = 120_000;
/** After approval, how long the desktop has to redeem. */
export const QR_REDEEM_WINDOW_MS = 30_000;
/** Digits of the check code the phone shows and the desktop's user types. */
export const QR_CHECK_CODE_LENGTH = 6;
/** Wrong check codes before the attempt dies. */
export const QR_CHECK_CODE_TRIES = 3;

const base64url = (bytes: number) =>
  z
    .string()
    .length(Math.ceil((bytes * 4) / 3))
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

/** A 256-bit secret or hash, base64url without padding. */
export const Base64Url32Schema = base64url(32);

export const QrAttemptIdSchema = z
  .string()
  .min(16)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

const text = (max: number) => z.string().trim().min(1).max(max);

/** `POST /desktop_app/qr/`: what the desktop says about itself, shown to the phone as the desktop's claim. */
export const QrCreateRequestSchema = z.object({
  /** The desktop's ephemeral X25519 public key, raw 32 bytes, base64url. */
  publicKey: Base64Url32Schema,
  /** SHA-256 of the desktop's secret; the secret itself is shown to the server only as a bearer token. */
  secretHash: Base64Url32Schema,
  /** The computer's name as the desktop reports it. */
  deviceName: text(100),
  /** The operating system, e.g. `Linux`, `Windows 11`. */
  os: text(60),
  /** Identify the machine and the OS user, as in the password sign-in; the app password is bound to them. */
  user_os_mark: z.string().max(255).default(''),
  user_account: z.string().max(255).default(''),
});
export type QrCreateRequest = z.input<typeof QrCreateRequestSchema>;

export const QrCodeSchema = z.object({
  /** The QR's content. */
  qrUrl: z.string().url(),
  /** The pointer stops working then, or at the next rotation, whichever comes first. */
  codeExpiresAt: z.string(),
});
export type QrCode = z.infer<typeof QrCodeSchema>;

export const QrCreateResponseSchema = QrCodeSchema.extend({
  attemptId: QrAttemptIdSchema,
  /** The whole attempt ends then. */
  expiresAt: z.string(),
  /** Rotate (`POST …/<id>/rotate`) at least this often while nobody has scanned. */
  rotateEveryMs: z.number().int().positive(),
  checkCodeLength: z.number().int().positive(),
});
export type QrCreateResponse = z.infer<typeof QrCreateResponseSchema>;

/** Why an attempt died without a sign-in (state `failed`). */
export const QR_FAILURE_REASONS = [
  /** A second phone scanned the code: someone else has seen it, so nobody may continue. */
  'second_scan',
  /** The check code was typed wrong too often. */
  'too_many_wrong_codes',
  /** The phone that scanned signed out or was signed out before the sign-in completed. */
  'phone_signed_out',
  /** The desktop gave up. */
  'cancelled',
  /** A redeem code that does not open this attempt was offered. */
  'wrong_redeem_code',
] as const;
export type QrFailureReason = (typeof QR_FAILURE_REASONS)[number];

/** The steps as the desktop sees them. */
export const QR_DESKTOP_STATES = [
  'waiting_for_scan',
  /** A phone scanned: ask the user to type the check code the phone shows. */
  'scanned',
  /** The code matched: ask the user to approve on the phone. */
  'waiting_for_approval',
  /** `sealed` carries the redeem code; open it and redeem. */
  'approved',
  'redeemed',
  'denied',
  'expired',
  'failed',
] as const;
export type QrDesktopState = (typeof QR_DESKTOP_STATES)[number];

/** HPKE output: the encapsulated key and the ciphertext, both base64url. */
export const QrSealedSchema = z.object({ enc: z.string().min(1).max(256), ciphertext: z.string().min(1).max(1024) });
export type QrSealed = z.infer<typeof QrSealedSchema>;

/** One SSE `state` event of `GET …/<id>/events` (and the answer of `GET …/<id>`). */
export const QrDesktopEventSchema = z.object({
  state: z.enum(QR_DESKTOP_STATES),
  expiresAt: z.string(),
  reason: z.enum(QR_FAILURE_REASONS).optional(),
  sealed: QrSealedSchema.optional(),
});
export type QrDesktopEvent = z.infer<typeof QrDesktopEventSchema>;

export const QrConfirmRequestSchema = z.object({ checkCode: z.string().trim().min(1).max(16) });
export const QrConfirmResponseSchema = z.object({
  accepted: z.boolean(),
  /** Wrong codes still allowed; at 0 the attempt has died. */
  triesLeft: z.number().int().min(0),
});
export type QrConfirmResponse = z.infer<typeof QrConfirmResponseSchema>;

/** What the desktop finds inside `sealed`. */
export const QrSealedPayloadSchema = z.object({ v: z.literal(1), redeemCode: Base64Url32Schema });
export type QrSealedPayload = z.infer<typeof QrSealedPayloadSchema>;

/** `POST …/<id>/redeem`; answered like the password sign-in (`DesktopLoginSuccess` and the cookie). */
export const QrRedeemRequestSchema = z.object({ redeemCode: Base64Url32Schema });

/**
 * The redeem answer: a password sign-in's answer (always with an application password) and the
 * login that application password signs in with later, which a QR sign-in never typed.
 */
export const QrRedeemSuccessSchema = DesktopLoginSuccessSchema.extend({
  appPassword: z.string().min(1),
  login: z.string().min(1).max(320),
});
export type QrRedeemSuccess = z.infer<typeof QrRedeemSuccessSchema>;

/** Error codes of the QR endpoints and methods (`{error, error_description}`), with their HTTP status. */
export const QR_SIGN_IN_ERROR_STATUS = {
  /** Forged, unsigned, malformed, or not from this server: never shown by a portal. */
  QR_CODE_INVALID: 400,
  /** The code was rotated away or is too old: ask the computer for a fresh one. */
  QR_CODE_EXPIRED: 410,
  /** The code is another portal's; open it there. */
  QR_CODE_OTHER_PORTAL: 400,
  /** The attempt cannot take this step any more (ended, or not at that step). */
  QR_ATTEMPT_ENDED: 409,
  QR_WRONG_STEP: 409,
  QUERY_LIMIT_EXCEEDED: 429,
} as const;
export type QrSignInErrorCode = keyof typeof QR_SIGN_IN_ERROR_STATUS;

/** The steps as the phone sees them. */
export const QR_PHONE_STATES = [
  /** Show the check code: the user types it on the computer. */
  'waiting_for_code',
  /** The computer typed the right code: Approve or Deny (the default). */
  'waiting_for_approval',
  'approved',
  'redeemed',
  'denied',
  'expired',
  'failed',
] as const;
export type QrPhoneState = (typeof QR_PHONE_STATES)[number];

/** `portaldesk.qrsignin.scan` and `.get`: where the request comes from, and the check code. */
export interface QrPhoneView {
  attemptId: string;
  state: QrPhoneState;
  reason?: QrFailureReason;
  /** Shown large; the user types it on the computer. Absent once the attempt has ended. */
  checkCode?: string;
  /** As the computer describes itself: not proof, so shown beside what the server saw. */
  device: { name: string; os: string };
  /** What the server saw: the computer's address and browser/app identification. */
  seenFrom: { ip: string; userAgent: string | null };
  /** False when the computer and the phone come from different addresses: worth a warning. */
  sameAddressAsPhone: boolean;
  requestedAt: string;
  expiresAt: string;
}

/** Phone REST parameters. `QR` is the scanned or pasted link as it is. */
export const QrScanParamsSchema = z.object({ QR: z.string().trim().min(1).max(2048) }).passthrough();
export const QrAttemptParamsSchema = z.object({ ID: QrAttemptIdSchema }).passthrough();

/**
 * A completed QR sign-in is announced to the user as a system notification (`im` `notifyAdd`,
 * listed by `im.notify.get`) of this module and event — its `settingName` is
 * `portaldesk|newSignIn` — whose `params` are a {@link NewSignInAlert}.
 */
export const NEW_SIGN_IN_EVENT = { moduleId: 'portaldesk', command: 'newSignIn' } as const;
export interface NewSignInAlert {
  /** "New sign-in on <device> at <time>". */
  text: string;
  deviceName: string;
  os: string;
  ip: string;
  at: string;
  /** The new session's id, for `portaldesk.session.revoke`. */
  sessionId: string;
  /** Opens the portal's session list at that session, with "Sign out" on it. */
  revokeUrl: string;
}

/** Where the user sees and ends their sessions; `?revoke=<id>` highlights one. */
export const SESSIONS_PAGE_PATH = '/m/settings/sessions';
