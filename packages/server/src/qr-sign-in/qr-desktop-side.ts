import { randomBytes } from 'node:crypto';
import {
  buildQrSignInLink,
  DESKTOP_REVISION,
  publicKeyHash,
  QR_ATTEMPT_LIFETIME_MS,
  QR_CHECK_CODE_LENGTH,
  QR_CHECK_CODE_TRIES,
  QR_POINTER_LIFETIME_MS,
  type QrCode,
  type QrConfirmResponse,
  type QrCreateResponse,
  type QrDesktopEvent,
  type QrRedeemSuccess,
  SESSIONS_PAGE_PATH,
  sealToDesktop,
} from '@portaldesk/protocol';
import type { OpenedSession } from '../auth/sessions/session-service.ts';
import type { Portal } from '../portals/portal.ts';
import { pkceVerifierMatches } from '../secrets/pkce.ts';
import { secretsEqual } from '../secrets/secret-comparison.ts';
import { digestSecret } from '../secrets/secret-digest.ts';
import { deadlineOf, type QrAttemptSteps, wiped } from './qr-attempt-steps.ts';
import { LIVE_STATES, type QrAttempt, type QrAttemptState } from './qr-attempt-store.ts';
import { canTake } from './qr-attempt-transitions.ts';
import { newPointerNonce, signPointer } from './qr-pointer.ts';
import type { QrClient, QrCreateInput } from './qr-sign-in-dependencies.ts';
import { noSuchAttempt, qrError } from './qr-sign-in-errors.ts';

/** Rotations allowed per attempt: four are needed in two minutes; the rest is slack for reconnects. */
const MAX_ROTATIONS = 12;

/** The computer's side: it shows the QR, types the check code, and redeems what the phone approved. */
export class QrDesktopSide {
  constructor(private readonly steps: QrAttemptSteps) {}

  async create(portal: Portal, origin: string, input: QrCreateInput, client: QrClient): Promise<QrCreateResponse> {
    await this.steps.deps.limits.consume(['createPerAddress', client.ip]);
    const id = randomBytes(16).toString('base64url');
    // A key that cannot be sealed to is refused now rather than at the moment of approval.
    await sealToDesktop(input.publicKey, { portal: portal.domain, attemptId: id }, 'probe').catch(() => {
      throw qrError('QR_CODE_INVALID', 'publicKey is not a usable X25519 public key');
    });
    const now = this.steps.now();
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
    await this.steps.deps.store.insert(attempt);
    await this.steps.audit(attempt, 'created', client, { deviceName: input.deviceName, os: input.os });
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
    await this.steps.deps.limits.consume(['rotatePerAddress', client.ip]);
    const attempt = await this.forDesktop(portal, id, secret);
    if (!canTake('rotate', attempt.state)) throw this.steps.notAt(attempt);
    const nonce = newPointerNonce();
    const pointerExpiresAt = new Date(
      Math.min(this.steps.now().getTime() + QR_POINTER_LIFETIME_MS, attempt.expiresAt.getTime()),
    );
    const rotated = await this.steps.transition(
      portal.id,
      id,
      'rotate',
      { pointerNonceHash: digestSecret(nonce), pointerExpiresAt, rotations: 1 },
      { rotationsBelow: MAX_ROTATIONS },
    );
    if (!rotated) throw qrError('QR_WRONG_STEP', 'This attempt cannot show a new code; start again');
    await this.steps.audit(rotated, 'rotated', client);
    return this.codeFor(portal, origin, rotated, nonce);
  }

  /** What the desktop is told, checking expiry on the way. */
  async desktopView(portal: Portal, id: string, secret: string): Promise<QrDesktopEvent> {
    return toDesktopEvent(await this.forDesktop(portal, id, secret));
  }

  /** Opening the event stream: what the desktop is told first. */
  async follow(portal: Portal, id: string, secret: string, client: QrClient): Promise<QrDesktopEvent> {
    await this.steps.deps.limits.consume(['followPerAddress', client.ip]);
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
    await this.steps.deps.limits.consume(['confirmPerAddress', client.ip]);
    const attempt = await this.forDesktop(portal, id, secret);
    if (!canTake('reserveTry', attempt.state)) throw this.steps.notAt(attempt);
    // The try is taken before the comparison, so parallel guesses cannot exceed the allowance.
    const reserved = await this.steps.transition(
      portal.id,
      id,
      'reserveTry',
      { wrongCodes: 1 },
      { wrongCodesBelow: QR_CHECK_CODE_TRIES },
    );
    if (!reserved) throw this.steps.notAt((await this.steps.deps.store.find(portal.id, id)) ?? attempt);
    const typed = code.replace(/[\s-]/g, '');
    if (reserved.checkCode !== null && secretsEqual(typed, reserved.checkCode)) {
      const confirmed = await this.steps.transition(portal.id, id, 'confirmCode', {
        codeConfirmedAt: this.steps.now(),
        wrongCodes: -1,
      });
      if (!confirmed) throw this.steps.notAt((await this.steps.deps.store.find(portal.id, id)) ?? attempt);
      await this.steps.audit(confirmed, 'code_confirmed', client);
      return { accepted: true, triesLeft: QR_CHECK_CODE_TRIES - confirmed.wrongCodes };
    }
    await this.steps.audit(reserved, 'wrong_code', client, { wrongCodes: reserved.wrongCodes });
    const triesLeft = QR_CHECK_CODE_TRIES - reserved.wrongCodes;
    if (triesLeft <= 0) await this.steps.fail(reserved, 'too_many_wrong_codes', client);
    return { accepted: false, triesLeft };
  }

  async cancel(portal: Portal, id: string, secret: string, client: QrClient): Promise<void> {
    const attempt = await this.forDesktop(portal, id, secret);
    if (LIVE_STATES.includes(attempt.state)) await this.steps.fail(attempt, 'cancelled', client);
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
    await this.steps.deps.limits.consume(['redeemPerAddress', client.ip]);
    const attempt = await this.forDesktop(portal, id, secret);
    if (!canTake('redeem', attempt.state) || attempt.userId === null || attempt.scannerSessionId === null) {
      throw this.steps.notAt(attempt);
    }
    if (attempt.redeemCodeHash === null || !secretsEqual(digestSecret(redeemCode), attempt.redeemCodeHash)) {
      await this.steps.fail(attempt, 'wrong_redeem_code', client);
      throw qrError('QR_ATTEMPT_ENDED', 'That redeem code does not open this sign-in; it was cancelled');
    }
    if (!(await this.steps.deps.sessions.liveById(portal.id, attempt.scannerSessionId))) {
      await this.steps.fail(attempt, 'phone_signed_out', client);
      throw qrError('QR_ATTEMPT_ENDED', 'The phone that approved this sign-in has signed out');
    }
    // What the application password will sign in with later: the user never typed a login here.
    const user = await this.steps.deps.users.findById(portal.id, attempt.userId);
    const login = user?.active ? (user.username ?? user.email ?? user.phone) : null;
    if (!login) {
      await this.steps.fail(attempt, 'cancelled', client);
      throw qrError('QR_ATTEMPT_ENDED', 'This account cannot sign in on a computer');
    }
    const redeemed = await this.steps.transition(portal.id, id, 'redeem', wiped(this.steps.now()), {
      redeemCodeHash: attempt.redeemCodeHash,
    });
    if (!redeemed) throw this.steps.notAt((await this.steps.deps.store.find(portal.id, id)) ?? attempt);
    const userId = attempt.userId;
    const issued = await this.steps.deps.appPasswords.issue(portal.id, userId, {
      osMark: attempt.osMark,
      osAccount: attempt.osAccount,
    });
    const session = await this.steps.deps.sessions.open({
      portalId: portal.id,
      userId,
      appPasswordId: issued.id,
      ip: client.ip,
      userAgent: client.userAgent,
    });
    await this.steps.transition(portal.id, id, 'recordSession', { sessionId: session.id });
    await this.steps.audit(redeemed, 'redeemed', client, { sessionId: session.id });
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

  private async forDesktop(portal: Portal, id: string, secret: string): Promise<QrAttempt> {
    const attempt = await this.steps.deps.store.find(portal.id, id);
    // The desktop's secret is a PKCE verifier in all but name: its S256 hash came at creation.
    if (!attempt || !pkceVerifierMatches(secret, attempt.secretHash)) throw noSuchAttempt();
    return this.steps.current(attempt);
  }

  private async codeFor(portal: Portal, origin: string, attempt: QrAttempt, nonce: string): Promise<QrCode> {
    const expiresAt = attempt.pointerExpiresAt ?? attempt.expiresAt;
    const keyHash = await publicKeyHash(attempt.publicKey);
    const pointer = signPointer(await this.steps.pointerKey(), {
      portalId: portal.id,
      attemptId: attempt.id,
      nonce,
      expiresAt: Math.floor(expiresAt.getTime() / 1000),
      keyHash,
    });
    return { qrUrl: buildQrSignInLink(origin, pointer, keyHash), codeExpiresAt: expiresAt.toISOString() };
  }

  private async alert(origin: string, attempt: QrAttempt, session: OpenedSession): Promise<void> {
    const at = this.steps.now().toISOString();
    await this.steps.deps.alerts.newSignIn({
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
}

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
