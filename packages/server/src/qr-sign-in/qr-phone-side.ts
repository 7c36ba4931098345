import { randomBytes, randomInt } from 'node:crypto';
import { parseQrSignInLink, QR_CHECK_CODE_LENGTH, type QrPhoneView, sealToDesktop } from '@portaldesk/protocol';
import type { Portal } from '../portals/portal.ts';
import { digestSecret } from '../secrets/secret-digest.ts';
import { deadlineOf, type QrAttemptSteps } from './qr-attempt-steps.ts';
import { LIVE_STATES, type QrAttempt, type QrAttemptState } from './qr-attempt-store.ts';
import { canTake } from './qr-attempt-transitions.ts';
import { verifyPointer } from './qr-pointer.ts';
import type { QrPhone } from './qr-sign-in-dependencies.ts';
import { noSuchAttempt, qrError } from './qr-sign-in-errors.ts';

/** The phone's side: a signed-in session scans, sees where the request comes from, and decides. */
export class QrPhoneSide {
  constructor(private readonly steps: QrAttemptSteps) {}

  /**
   * The phone scanned (or pasted) the link. The first scan binds the attempt to this session;
   * a second scan of an authentic pointer, by anyone, kills the attempt: the code has been seen
   * by someone else, and nobody can tell which of the two is the owner.
   */
  async scan(portal: Portal, link: string, phone: QrPhone): Promise<QrPhoneView> {
    await this.steps.deps.limits.consume(['scanPerUser', `${portal.id}:${phone.userId}`], ['scanPerAddress', phone.ip]);
    const parsed = parseQrSignInLink(link);
    if (!parsed) throw qrError('QR_CODE_INVALID', 'This is not a sign-in QR code');
    if (parsed.hostname !== portal.domain) {
      throw qrError('QR_CODE_OTHER_PORTAL', `This code is for ${parsed.hostname}; open it with that portal`);
    }
    const claims = verifyPointer(await this.steps.pointerKey(), parsed.pointer, {
      portalId: portal.id,
      keyHash: parsed.keyHash,
    });
    const found = claims && (await this.steps.deps.store.find(portal.id, claims.attemptId));
    if (!claims || !found) throw qrError('QR_CODE_INVALID', 'This sign-in QR code is not valid');
    const attempt = await this.steps.current(found);
    if (canTake('scan', attempt.state)) {
      if (claims.expiresAt * 1000 <= this.steps.now().getTime()) throw expiredCode();
      const scanned = await this.steps.transition(
        portal.id,
        attempt.id,
        'scan',
        {
          userId: phone.userId,
          scannerSessionId: phone.sessionId,
          scannerIp: phone.ip,
          scannedAt: this.steps.now(),
          checkCode: newCheckCode(),
          pointerNonceHash: null,
          pointerExpiresAt: null,
        },
        { pointerNonceHash: digestSecret(claims.nonce) },
      );
      if (scanned) {
        await this.steps.audit(scanned, 'scanned', phone, {}, phone.userId);
        return this.phoneView(scanned, phone);
      }
      const now = await this.steps.deps.store.find(portal.id, attempt.id);
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
    await this.steps.deps.limits.consume(['decidePerUser', `${portal.id}:${phone.userId}`]);
    const attempt = await this.forPhone(portal, id, phone);
    if (attempt.state === 'scanned') {
      throw qrError('QR_WRONG_STEP', 'Type the code shown here on the computer first');
    }
    if (!canTake('approve', attempt.state)) throw this.steps.notAt(attempt);
    const redeemCode = randomBytes(32).toString('base64url');
    const sealed = await sealToDesktop(
      attempt.publicKey,
      { portal: portal.domain, attemptId: id },
      JSON.stringify({ v: 1, redeemCode }),
    );
    const approved = await this.steps.transition(portal.id, id, 'approve', {
      approvedAt: this.steps.now(),
      redeemCodeHash: digestSecret(redeemCode),
      sealed: JSON.stringify(sealed),
      checkCode: null,
    });
    if (!approved) throw this.steps.notAt((await this.steps.deps.store.find(portal.id, id)) ?? attempt);
    await this.steps.audit(approved, 'approved', phone, {}, phone.userId);
    return this.phoneView(approved, phone);
  }

  /** Deny is always possible until the desktop has redeemed. */
  async deny(portal: Portal, id: string, phone: QrPhone): Promise<QrPhoneView> {
    await this.steps.deps.limits.consume(['decidePerUser', `${portal.id}:${phone.userId}`]);
    const attempt = await this.forPhone(portal, id, phone);
    const denied = await this.steps.end(attempt, 'deny', null);
    if (!denied) throw this.steps.notAt((await this.steps.deps.store.find(portal.id, id)) ?? attempt);
    await this.steps.audit(denied, 'denied', phone, {}, phone.userId);
    return this.phoneView(denied, phone);
  }

  /** A session ended: whatever it had scanned and not yet finished dies with it. */
  async sessionEnded(portalId: number, sessionId: string): Promise<void> {
    for (const attempt of await this.steps.deps.store.liveScannedBy(portalId, sessionId)) {
      await this.steps.fail(attempt, 'phone_signed_out', { ip: null, userAgent: null });
    }
  }

  /** Only the session that scanned may see or decide; to anyone else the attempt does not exist. */
  private async forPhone(portal: Portal, id: string, phone: QrPhone): Promise<QrAttempt> {
    const attempt = await this.steps.deps.store.find(portal.id, id);
    if (!attempt || attempt.scannerSessionId !== phone.sessionId) throw noSuchAttempt();
    return this.steps.current(attempt);
  }

  private async secondScan(attempt: QrAttempt, phone: QrPhone): Promise<never> {
    await this.steps.audit(attempt, 'second_scan', phone, {}, phone.userId);
    await this.steps.fail(attempt, 'second_scan', phone);
    throw qrError(
      'QR_ATTEMPT_ENDED',
      'This code had already been scanned, so it may have been seen by someone else; the sign-in was cancelled for safety',
    );
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

function newCheckCode(): string {
  return String(randomInt(0, 10 ** QR_CHECK_CODE_LENGTH)).padStart(QR_CHECK_CODE_LENGTH, '0');
}

function expiredCode() {
  return qrError('QR_CODE_EXPIRED', 'This code has expired; scan the one the computer shows now');
}
