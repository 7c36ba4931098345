import type { BridgeHandlers } from '../bridge/ui-bridge.ts';
import type { DesktopQrSignIn } from './desktop-qr-sign-in.ts';

type QrHandlers = Pick<BridgeHandlers, 'qr.start' | 'qr.status' | 'qr.confirm' | 'qr.cancel'>;

/** The login window's QR sign-in calls; the key pair and the secret stay in `qr`. */
export function qrBridgeHandlers(qr: DesktopQrSignIn): QrHandlers {
  return {
    'qr.start': ({ address }) => qr.start(address),
    'qr.status': ({ after }) => qr.status(after),
    'qr.confirm': ({ checkCode }) => qr.confirm(checkCode),
    'qr.cancel': async () => {
      await qr.cancel();
      return {};
    },
  };
}
