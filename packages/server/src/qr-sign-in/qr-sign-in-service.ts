import { randomBytes, randomInt } from 'node:crypto';
import {
  buildQrSignInLink,
  DESKTOP_REVISION,
  parseQrSignInLink,
  QR_ATTEMPT_LIFETIME_MS,
  QR_CHECK_CODE_LENGTH,
  QR_CHECK_CODE_TRIES,
  QR_POINTER_LIFETIME_MS,
  QR_REDEEM_WINDOW_MS,
  type QrCode,
  type QrConfirmResponse,
  type QrCreateRequestSchema,
  type QrCreateResponse,
  type QrDesktopEvent,
  type QrFailureReason,
  type QrPhoneView,
  type QrRedeemSuccess,
  SESSIONS_PAGE_PATH,
} from '@portaldesk/protocol';
import { publicKeyHash, sealToDesktop } from '@portaldesk/protocol/qr-sign-in/qr-sealing';
import type { z } from 'zod';
import type { AppPasswordService } from '../auth/app-passwords/app-password-service.ts';
import type { OpenedSession, SessionService } from '../auth/sessions/session-service.ts';
import type { Clock } from '../clock/clock.ts';
import type { Portal } from '../portals/portal.ts';
import { pkceVerifierMatches } from '../secrets/pkce.ts';
import { secretsEqual } from '../secrets/secret-comparison.ts';
import { digestSecret } from '../secrets/secret-digest.ts';
import type { UserStore } from '../users/user-store.ts';
import type { QrAttemptSignals } from './qr-attempt-signals.ts';
import {
  LIVE_STATES,
  type QrAttempt,
  type QrAttemptState,
  type QrAttemptStore,
  type TransitionGuard,
} from './qr-attempt-store.ts';
import { canTake, QR_TRANSITIONS, type QrStep } from './qr-attempt-transitions.ts';
import { newPointerNonce, signPointer, verifyPointer } from './qr-pointer.ts';
import type { QrAuditStep, QrSignInAudit } from './qr-sign-in-audit.ts';
import { noSuchAttempt, qrError } from './qr-sign-in-errors.ts';
import type { QrSignInRateLimits } from './qr-sign-in-rate-limits.ts';
import type { ServerKeyStore } from './server-key-store.ts';
import type { SignInAlerts } from './sign-in-alerts.ts';

export interface QrClient {
  ip: string;
  userAgent: string | null;
}

/** The phone's side: a signed-in session of this portal. */
export interface QrPhone extends QrClient {
  userId: number;
  sessionId: string;
}

export type QrCreateInput = z.output<typeof QrCreateRequestSchema>;

export interface QrSignInDependencies {
  store: QrAttemptStore;
  audit: QrSignInAudit;
  limits: QrSignInRateLimits;
  keys: ServerKeyStore;
  signals: QrAttemptSignals;
  sessions: SessionService;
  appPasswords: AppPasswordService;
  alerts: SignInAlerts;
  users: Pick<UserStore, 'findById'>;
  clock: Clock;
}

/** Rotations allowed per attempt: four are needed in two minutes; the rest is slack for reconnects. */
const MAX_ROTATIONS = 12;
const POINTER_KEY_PURPOSE = 'qr-sign-in-pointer';

/**
 * QR sign-in: the state machine, enforced by conditional updates (see `qr-attempt-store.ts`).
 * What makes it stronger than the public designs it is modelled on:
 * - the QR holds a signed, 30-second, single-use pointer and the hash of the desktop's key —
 *   nothing that alone lets anyone watch or finish the sign-in (unlike Discord or WhatsApp
 *   Web, whose QR channel is the desktop's session);
 * - the phone shows where the request really comes from and a check code that must be typed on
 *   that computer (3 tries) before Approve is possible, and Deny is the default;
 * - a second scan kills the attempt; the desktop learns nothing about the user until approved;
 * - the credential is a redeem code sealed to the desktop's key with HPKE and redeemable only
 *   with the desktop's secret, so the relay, the event stream and the QR are useless to a thief;
 * - the approving session must still be live when the desktop redeems.
 */
export class QrSignInService {
  constructor(private readonly deps: QrSignInDependencies) {}

  // ── desktop ──────────────────────────────────────────────────────────────────────────────

  async create(portal: Portal, origin: string, input: QrCreateInput, client: QrClient): Promise<QrCreateResponse> {
    await this.deps.limits.consume(['createPerAddress', client.ip]);
    const id = randomBytes(16).toString('base64url');
    // A key that cannot be sealed to is refused now rather than at the moment of approval.
    await sealToDesktop(input.publicKey, { portal: portal.domain, attemptId: id }, 'probe').catch(() => {
      throw qrError('QR_CODE_INVALID', 'publicKey is not a usable X25519 public key');
    });
    const now = this.now();
    const expiresAt = new Date(now.getTime() + QR_ATTEMPT_LIFETIME_MS);
    const nonce = newPointerNonce();
    const pointerExpiresAt = new Date(Math.min(now.getTime() + QR_POINTER_LIFETIME_MS, expiresAt.getTime()));
    const attempt: QrAttempt = {
      id,
      portalId: portal.id,
      state: 'pending',
      failureReason: null,
      publicKey: input.publicKey,
      secretHash: input.secretHash,
      deviceName: input.deviceName,
      deviceOs: input.os,
      osMark: input.user_os_mark,
      osAccount: input.user_account,
      desktopIp: client.ip,
      desktopUserAgent: client.userAgent,
      createdAt: now,
      expiresAt,
      pointerNonceHash: digestSecret(nonce),
      pointerExpiresAt,
      rotations: 0,
      userId: null,
      scannerSessionId: null,
      scannerIp: null,
      scannedAt: null,
      checkCode: null,
      wrongCodes: 0,
      codeConfirmedAt: null,
      approvedAt: null,
      redeemCodeHash: null,
      sealed: null,
      endedAt: null,
      sessionId: null,
    };
    await this.deps.store.insert(attempt);
    await this.audit(attempt, 'created', client, { deviceName: input.deviceName, os: input.os });
    return {
      attemptId: id,
      ...(await this.codeFor(portal, origin, attempt, nonce)),
      expiresAt: expiresAt.toISOString(),
      rotateEveryMs: QR_POINTER_LIFETIME_MS,
      checkCodeLength: QR_CHECK_CODE_LENGTH,
    };
  }

  /** A fresh pointer for the QR; the previous one stops working. Only before the scan. */
  async rotate(portal: Portal, origin: string, id: string, secret: string, client: QrClient): Promise<QrCode> {
    await this.deps.limits.consume(['rotatePerAddress', client.ip]);
    const attempt = await this.forDesktop(portal, id, secret);
    if (!canTake('rotate', attempt.state)) throw this.notAt(attempt);
    const nonce = newPointerNonce();
    const pointerExpiresAt = new Date(
      Math.min(this.now().getTime() + QR_POINTER_LIFETIME_MS, attempt.expiresAt.getTime()),
    );
    const rotated = await this.transition(
      portal.id,
      id,
      'rotate',
      { pointerNonceHash: digestSecret(nonce), pointerExpiresAt, rotations: 1 },
      { rotationsBelow: MAX_ROTATIONS },
    );
    if (!rotated) throw qrError('QR_WRONG_STEP', 'This attempt cannot show a new code; start again');
    await this.audit(rotated, 'rotated', client);
    return this.codeFor(portal, origin, rotated, nonce);
  }

  /** What the desktop is told, checking expiry on the way. */
  async desktopView(portal: Portal, id: string, secret: string): Promise<QrDesktopEvent> {
    return toDesktopEvent(await this.forDesktop(portal, id, secret));
  }

  /** Opening the event stream: what the desktop is told first. */
  async follow(portal: Portal, id: string, secret: string, client: QrClient): Promise<QrDesktopEvent> {
    await this.deps.limits.consume(['followPerAddress', client.ip]);
    return this.desktopView(portal, id, secret);
  }

  /** The desktop sends the check code its user typed. Three wrong codes kill the attempt. */
  async confirm(
    portal: Portal,
    id: string,
    secret: string,
    code: string,
    client: QrClient,
  ): Promise<QrConfirmResponse> {
    await this.deps.limits.consume(['confirmPerAddress', client.ip]);
    const attempt = await this.forDesktop(portal, id, secret);
    if (!canTake('reserveTry', attempt.state)) throw this.notAt(attempt);
    // The try is taken before the comparison, so parallel guesses cannot exceed the allowance.
    const reserved = await this.transition(
      portal.id,
      id,
      'reserveTry',
      { wrongCodes: 1 },
      { wrongCodesBelow: QR_CHECK_CODE_TRIES },
    );
    if (!reserved) throw this.notAt((await this.deps.store.find(portal.id, id)) ?? attempt);
    const typed = code.replace(/[\s-]/g, '');
    if (reserved.checkCode !== null && secretsEqual(typed, reserved.checkCode)) {
      const confirmed = await this.transition(portal.id, id, 'confirmCode', {
        codeConfirmedAt: this.now(),
        wrongCodes: -1,
      });
      if (!confirmed) throw this.notAt((await this.deps.store.find(portal.id, id)) ?? attempt);
      await this.audit(confirmed, 'code_confirmed', client);
      return { accepted: true, triesLeft: QR_CHECK_CODE_TRIES - confirmed.wrongCodes };
    }
    await this.audit(reserved, 'wrong_code', client, { wrongCodes: reserved.wrongCodes });
    const triesLeft = QR_CHECK_CODE_TRIES - reserved.wrongCodes;
    if (triesLeft <= 0) await this.fail(reserved, 'too_many_wrong_codes', client);
    return { accepted: false, triesLeft };
  }

  async cancel(portal: Portal, id: string, secret: string, client: QrClient): Promise<void> {
    const attempt = await this.forDesktop(portal, id, secret);
    if (LIVE_STATES.includes(attempt.state)) await this.fail(attempt, 'cancelled', client);
  }

  /**
   * The desktop, having opened the sealed redeem code with its private key, exchanges it (and
   * its secret) for the same things a password sign-in gives: a session and an app password.
   */
  async redeem(
    portal: Portal,
    origin: string,
    id: string,
    secret: string,
    redeemCode: string,
    client: QrClient,
  ): Promise<{ body: QrRedeemSuccess; session: OpenedSession }> {
    await this.deps.limits.consume(['redeemPerAddress', client.ip]);
    const attempt = await this.forDesktop(portal, id, secret);
    if (!canTake('redeem', attempt.state) || attempt.userId === null || attempt.scannerSessionId === null) {
      throw this.notAt(attempt);
    }
    if (attempt.redeemCodeHash === null || !secretsEqual(digestSecret(redeemCode), attempt.redeemCodeHash)) {
      await this.fail(attempt, 'wrong_redeem_code', client);
      throw qrError('QR_ATTEMPT_ENDED', 'That redeem code does not open this sign-in; it was cancelled');
    }
    if (!(await this.deps.sessions.liveById(portal.id, attempt.scannerSessionId))) {
      await this.fail(attempt, 'phone_signed_out', client);
      throw qrError('QR_ATTEMPT_ENDED', 'The phone that approved this sign-in has signed out');
    }
    // What the application password will sign in with later: the user never typed a login here.
    const user = await this.deps.users.findById(portal.id, attempt.userId);
    const login = user?.active ? (user.username ?? user.email ?? user.phone) : null;
    if (!login) {
      await this.fail(attempt, 'cancelled', client);
      throw qrError('QR_ATTEMPT_ENDED', 'This account cannot sign in on a computer');
    }
    const redeemed = await this.transition(portal.id, id, 'redeem', wiped(this.now()), {
      redeemCodeHash: attempt.redeemCodeHash,
    });
    if (!redeemed) throw this.notAt((await this.deps.store.find(portal.id, id)) ?? attempt);
    const userId = attempt.userId;
    const issued = await this.deps.appPasswords.issue(portal.id, userId, {
      osMark: attempt.osMark,
      osAccount: attempt.osAccount,
    });
    const session = await this.deps.sessions.open({
      portalId: portal.id,
      userId,
      appPasswordId: issued.id,
      ip: client.ip,
      userAgent: client.userAgent,
    });
    await this.transition(portal.id, id, 'recordSession', { sessionId: session.id });
    await this.audit(redeemed, 'redeemed', client, { sessionId: session.id });
    await this.alert(origin, redeemed, session);
    return {
      session,
      body: {
        success: true,
        desktopRevision: DESKTOP_REVISION,
        userId,
        sessionId: session.token,
        bitrixSessionId: session.sessid,
        appPassword: issued.password,
        login,
      },
    };
  }

  // ── phone ────────────────────────────────────────────────────────────────────────────────

  /**
   * The phone scanned (or pasted) the link. The first scan binds the attempt to this session;
   * a second scan of an authentic pointer, by anyone, kills the attempt: the code has been seen
   * by someone else, and nobody can tell which of the two is the owner.
   */
  async scan(portal: Portal, link: string, phone: QrPhone): Promise<QrPhoneView> {
    await this.deps.limits.consume(['scanPerUser', `${portal.id}:${phone.userId}`], ['scanPerAddress', phone.ip]);
    const parsed = parseQrSignInLink(link);
    if (!parsed) throw qrError('QR_CODE_INVALID', 'This is not a sign-in QR code');
    if (parsed.hostname !== portal.domain) {
      throw qrError('QR_CODE_OTHER_PORTAL', `This code is for ${parsed.hostname}; open it with that portal`);
    }
    const claims = verifyPointer(await this.pointerKey(), parsed.pointer, {
      portalId: portal.id,
      keyHash: parsed.keyHash,
    });
    const found = claims && (await this.deps.store.find(portal.id, claims.attemptId));
    if (!claims || !found) throw qrError('QR_CODE_INVALID', 'This sign-in QR code is not valid');
    const attempt = await this.current(found);
    if (canTake('scan', attempt.state)) {
      if (claims.expiresAt * 1000 <= this.now().getTime()) throw expiredCode();
      const scanned = await this.transition(
        portal.id,
        attempt.id,
        'scan',
        {
          userId: phone.userId,
          scannerSessionId: phone.sessionId,
          scannerIp: phone.ip,
          scannedAt: this.now(),
          checkCode: newCheckCode(),
          pointerNonceHash: null,
          pointerExpiresAt: null,
        },
        { pointerNonceHash: digestSecret(claims.nonce) },
      );
      if (scanned) {
        await this.audit(scanned, 'scanned', phone, {}, phone.userId);
        return this.phoneView(scanned, phone);
      }
      const now = await this.deps.store.find(portal.id, attempt.id);
      // Still pending: this pointer was rotated away. Otherwise someone scanned a moment earlier.
      if (!now || now.state === 'pending') throw expiredCode();
      return this.secondScan(now, phone);
    }
    if (LIVE_STATES.includes(attempt.state)) return this.secondScan(attempt, phone);
    if (attempt.state === 'expired') throw expiredCode();
    throw qrError('QR_ATTEMPT_ENDED', 'This sign-in has already ended; ask the computer for a new code');
  }

  async phoneStatus(portal: Portal, id: string, phone: QrPhone): Promise<QrPhoneView> {
    return this.phoneView(await this.forPhone(portal, id, phone), phone);
  }

  /** Possible only once the computer has typed the right check code. */
  async approve(portal: Portal, id: string, phone: QrPhone): Promise<QrPhoneView> {
    await this.deps.limits.consume(['decidePerUser', `${portal.id}:${phone.userId}`]);
    const attempt = await this.forPhone(portal, id, phone);
    if (attempt.state === 'scanned') {
      throw qrError('QR_WRONG_STEP', 'Type the code shown here on the computer first');
    }
    if (!canTake('approve', attempt.state)) throw this.notAt(attempt);
    const redeemCode = randomBytes(32).toString('base64url');
    const sealed = await sealToDesktop(
      attempt.publicKey,
      { portal: portal.domain, attemptId: id },
      JSON.stringify({ v: 1, redeemCode }),
    );
    const approved = await this.transition(portal.id, id, 'approve', {
      approvedAt: this.now(),
      redeemCodeHash: digestSecret(redeemCode),
      sealed: JSON.stringify(sealed),
      checkCode: null,
    });
    if (!approved) throw this.notAt((await this.deps.store.find(portal.id, id)) ?? attempt);
    await this.audit(approved, 'approved', phone, {}, phone.userId);
    return this.phoneView(approved, phone);
  }

  /** Deny is always possible until the desktop has redeemed. */
  async deny(portal: Portal, id: string, phone: QrPhone): Promise<QrPhoneView> {
    await this.deps.limits.consume(['decidePerUser', `${portal.id}:${phone.userId}`]);
    const attempt = await this.forPhone(portal, id, phone);
    const denied = await this.end(attempt, 'deny', null);
    if (!denied) throw this.notAt((await this.deps.store.find(portal.id, id)) ?? attempt);
    await this.audit(denied, 'denied', phone, {}, phone.userId);
    return this.phoneView(denied, phone);
  }

  /** A session ended: whatever it had scanned and not yet finished dies with it. */
  async sessionEnded(portalId: number, sessionId: string): Promise<void> {
    for (const attempt of await this.deps.store.liveScannedBy(portalId, sessionId)) {
      await this.fail(attempt, 'phone_signed_out', { ip: null, userAgent: null });
    }
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────

  private async forDesktop(portal: Portal, id: string, secret: string): Promise<QrAttempt> {
    const attempt = await this.deps.store.find(portal.id, id);
    // The desktop's secret is a PKCE verifier in all but name: its S256 hash came at creation.
    if (!attempt || !pkceVerifierMatches(secret, attempt.secretHash)) throw noSuchAttempt();
    return this.current(attempt);
  }

  /** Only the session that scanned may see or decide; to anyone else the attempt does not exist. */
  private async forPhone(portal: Portal, id: string, phone: QrPhone): Promise<QrAttempt> {
    const attempt = await this.deps.store.find(portal.id, id);
    if (!attempt || attempt.scannerSessionId !== phone.sessionId) throw noSuchAttempt();
    return this.current(attempt);
  }

  /** The attempt as it stands now: past its time, it is marked expired (once, by whoever sees it first). */
  private async current(attempt: QrAttempt): Promise<QrAttempt> {
    if (!LIVE_STATES.includes(attempt.state) || this.now() < deadlineOf(attempt)) return attempt;
    const expired = await this.end(attempt, 'expire', null);
    if (!expired) return (await this.deps.store.find(attempt.portalId, attempt.id)) ?? attempt;
    await this.audit(expired, 'expired', { ip: null, userAgent: null });
    return expired;
  }

  private async secondScan(attempt: QrAttempt, phone: QrPhone): Promise<never> {
    await this.audit(attempt, 'second_scan', phone, {}, phone.userId);
    await this.fail(attempt, 'second_scan', phone);
    throw qrError(
      'QR_ATTEMPT_ENDED',
      'This code had already been scanned, so it may have been seen by someone else; the sign-in was cancelled for safety',
    );
  }

  private async fail(
    attempt: QrAttempt,
    reason: QrFailureReason,
    client: { ip: string | null; userAgent: string | null },
  ): Promise<void> {
    const failed = await this.end(attempt, 'fail', reason);
    if (failed) await this.audit(failed, 'failed', client, { reason });
  }

  /**
   * Every change goes through here: the step's row of {@link QR_TRANSITIONS} says which states it
   * may leave and where it goes; the desktop's open event streams hear of it at once.
   */
  private async transition(
    portalId: number,
    id: string,
    step: QrStep,
    set: Omit<Partial<QrAttempt>, 'state'>,
    guard?: TransitionGuard,
  ): Promise<QrAttempt | null> {
    const { from, to } = QR_TRANSITIONS[step];
    const changed = await this.deps.store.transition(portalId, id, from, to ? { ...set, state: to } : set, guard);
    if (changed) this.deps.signals.changed(id);
    return changed;
  }

  /** Ends a live attempt, wiping what could still be used; null when it had already ended. */
  private end(
    attempt: QrAttempt,
    step: 'deny' | 'expire' | 'fail',
    reason: QrFailureReason | null,
  ): Promise<QrAttempt | null> {
    return this.transition(attempt.portalId, attempt.id, step, { failureReason: reason, ...wiped(this.now()) });
  }

  private notAt(attempt: QrAttempt) {
    if (attempt.state === 'expired') return qrError('QR_ATTEMPT_ENDED', 'This sign-in has expired; start again');
    if (!LIVE_STATES.includes(attempt.state)) return qrError('QR_ATTEMPT_ENDED', 'This sign-in has ended');
    return qrError('QR_WRONG_STEP', `This sign-in is not at that step (it is ${attempt.state})`);
  }

  private async codeFor(portal: Portal, origin: string, attempt: QrAttempt, nonce: string): Promise<QrCode> {
    const expiresAt = attempt.pointerExpiresAt ?? attempt.expiresAt;
    const keyHash = await publicKeyHash(attempt.publicKey);
    const pointer = signPointer(await this.pointerKey(), {
      portalId: portal.id,
      attemptId: attempt.id,
      nonce,
      expiresAt: Math.floor(expiresAt.getTime() / 1000),
      keyHash,
    });
    return { qrUrl: buildQrSignInLink(origin, pointer, keyHash), codeExpiresAt: expiresAt.toISOString() };
  }

  private async phoneView(attempt: QrAttempt, phone: QrPhone): Promise<QrPhoneView> {
    const state = PHONE_STATE[attempt.state];
    return {
      attemptId: attempt.id,
      state,
      ...(attempt.failureReason ? { reason: attempt.failureReason } : {}),
      ...(attempt.checkCode && state === 'waiting_for_code' ? { checkCode: attempt.checkCode } : {}),
      device: { name: attempt.deviceName, os: attempt.deviceOs },
      seenFrom: { ip: attempt.desktopIp, userAgent: attempt.desktopUserAgent },
      sameAddressAsPhone: attempt.desktopIp === (attempt.scannerIp ?? phone.ip),
      requestedAt: attempt.createdAt.toISOString(),
      expiresAt: deadlineOf(attempt).toISOString(),
    };
  }

  private async alert(origin: string, attempt: QrAttempt, session: OpenedSession): Promise<void> {
    const at = this.now().toISOString();
    await this.deps.alerts.newSignIn({
      portalId: attempt.portalId,
      userId: session.userId,
      attemptId: attempt.id,
      alert: {
        text: `New sign-in on ${attempt.deviceName} (${attempt.deviceOs}) at ${at}`,
        deviceName: attempt.deviceName,
        os: attempt.deviceOs,
        ip: attempt.desktopIp,
        at,
        sessionId: session.id,
        revokeUrl: `${origin}${SESSIONS_PAGE_PATH}?revoke=${encodeURIComponent(session.id)}`,
      },
    });
  }

  private async audit(
    attempt: QrAttempt,
    step: QrAuditStep,
    client: { ip: string | null; userAgent: string | null },
    detail: Record<string, unknown> = {},
    userId: number | null = attempt.userId,
  ): Promise<void> {
    const entry = {
      attemptId: attempt.id,
      portalId: attempt.portalId,
      step,
      ip: client.ip,
      userAgent: client.userAgent,
    };
    await this.deps.audit.record({ ...entry, userId, ...(Object.keys(detail).length > 0 ? { detail } : {}) });
  }

  private pointerKey(): Promise<Buffer> {
    return this.deps.keys.key(POINTER_KEY_PURPOSE);
  }

  private now(): Date {
    return this.deps.clock.now();
  }
}

const PHONE_STATE: Record<QrAttemptState, QrPhoneView['state']> = {
  pending: 'waiting_for_code',
  scanned: 'waiting_for_code',
  code_confirmed: 'waiting_for_approval',
  approved: 'approved',
  redeemed: 'redeemed',
  denied: 'denied',
  expired: 'expired',
  failed: 'failed',
};

const DESKTOP_STATE: Record<QrAttemptState, QrDesktopEvent['state']> = {
  pending: 'waiting_for_scan',
  scanned: 'scanned',
  code_confirmed: 'waiting_for_approval',
  approved: 'approved',
  redeemed: 'redeemed',
  denied: 'denied',
  expired: 'expired',
  failed: 'failed',
};

export function toDesktopEvent(attempt: QrAttempt): QrDesktopEvent {
  return {
    state: DESKTOP_STATE[attempt.state],
    expiresAt: deadlineOf(attempt).toISOString(),
    ...(attempt.failureReason ? { reason: attempt.failureReason } : {}),
    ...(attempt.state === 'approved' && attempt.sealed ? { sealed: JSON.parse(attempt.sealed) } : {}),
  };
}

/** Until approval the attempt's own lifetime; after it, the redeem window. */
function deadlineOf(attempt: QrAttempt): Date {
  if (attempt.state === 'approved' && attempt.approvedAt) {
    return new Date(attempt.approvedAt.getTime() + QR_REDEEM_WINDOW_MS);
  }
  return attempt.expiresAt;
}

/** What an ended attempt must no longer hold. */
function wiped(now: Date) {
  return {
    endedAt: now,
    pointerNonceHash: null,
    pointerExpiresAt: null,
    checkCode: null,
    sealed: null,
    redeemCodeHash: null,
  } satisfies Partial<QrAttempt>;
}

function newCheckCode(): string {
  return String(randomInt(0, 10 ** QR_CHECK_CODE_LENGTH)).padStart(QR_CHECK_CODE_LENGTH, '0');
}

function expiredCode() {
  return qrError('QR_CODE_EXPIRED', 'This code has expired; scan the one the computer shows now');
}
