import type { QrDesktopEvent } from '@portaldesk/protocol';

/** Why an attempt ended, in the words the login window shows. */
export function qrEndedMessage(event: QrDesktopEvent): string {
  switch (event.state) {
    case 'denied':
      return 'The sign-in was denied on the phone.';
    case 'expired':
      return 'The QR code expired before the sign-in was finished.';
    default:
      return qrFailureMessage(event.reason);
  }
}

export function qrFailureMessage(reason?: QrDesktopEvent['reason']): string {
  switch (reason) {
    case 'second_scan':
      return 'The code was scanned twice, so someone else may have seen it. The sign-in was cancelled for safety.';
    case 'too_many_wrong_codes':
      return 'A wrong code was entered three times. The sign-in was cancelled.';
    case 'phone_signed_out':
      return 'The phone signed out before the sign-in was finished.';
    case 'cancelled':
      return 'The sign-in was cancelled.';
    default:
      return 'The sign-in could not be finished.';
  }
}
