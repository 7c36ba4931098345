import { QrAttemptSteps } from './qr-attempt-steps.ts';
import { QrDesktopSide } from './qr-desktop-side.ts';
import { QrPhoneSide } from './qr-phone-side.ts';
import type { QrSignInDependencies } from './qr-sign-in-dependencies.ts';

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
  readonly desktop: QrDesktopSide;
  readonly phone: QrPhoneSide;

  constructor(deps: QrSignInDependencies) {
    const steps = new QrAttemptSteps(deps);
    this.desktop = new QrDesktopSide(steps);
    this.phone = new QrPhoneSide(steps);
  }
}
