import { BridgeCallError, callBridge, type QrSignInView } from '@portaldesk/protocol';
import { reactive } from 'vue';
import { runBridgeStep } from '../bridge-step.ts';

type Bridge = typeof callBridge;

export interface QrFlowState {
  address: string;
  view: QrSignInView | null;
  checkCode: string;
  busy: boolean;
  /** A refusal of the window's own request (a bad address, a wrong code): shown beside the form. */
  error: string;
}

const ENDED: ReadonlySet<QrSignInView['step']> = new Set(['denied', 'expired', 'failed', 'error']);

/**
 * The login window's QR sign-in: asks the main process to start one, then follows its view by
 * long polls (`qr.status` answers as soon as something changed), until the window closes.
 */
export function createQrSignInFlow(bridge: Bridge = callBridge) {
  const state = reactive<QrFlowState>({ address: '', view: null, checkCode: '', busy: false, error: '' });
  let following = false;
  let closed = false;

  async function follow() {
    if (following) return;
    following = true;
    try {
      while (!closed && state.view && !['idle', 'signed-in'].includes(state.view.step)) {
        const next = await bridge('qr.status', { after: state.view.version });
        if (!state.view || next.version > state.view.version) state.view = next;
      }
    } catch {
      // The window is closing (the bridge goes with it); nothing to show.
    } finally {
      following = false;
    }
  }

  const run = (action: () => Promise<void>) => runBridgeStep(state, action);

  return {
    state,
    ended: () => state.view !== null && ENDED.has(state.view.step),
    start: () =>
      run(async () => {
        state.checkCode = '';
        state.view = await bridge('qr.start', { address: state.address });
        void follow();
      }),
    confirm: () =>
      run(async () => {
        const typed = state.checkCode.replace(/[\s-]/g, '');
        if (!/^\d+$/.test(typed)) throw new BridgeCallError('QR_CODE_FORMAT', 'Enter the digits your phone shows.');
        const answer = await bridge('qr.confirm', { checkCode: typed });
        if (!answer.accepted) state.checkCode = '';
      }),
    /** Back to the address: the attempt is cancelled at the portal. */
    cancel: async () => {
      state.view = null;
      state.error = '';
      await bridge('qr.cancel', {}).catch(() => undefined);
    },
    close: () => {
      closed = true;
      void bridge('qr.cancel', {}).catch(() => undefined);
    },
  };
}

/** Each step in plain words. */
export function qrStepText(view: QrSignInView): string {
  switch (view.step) {
    case 'idle':
      return '';
    case 'starting':
      return 'Getting a code from the portal…';
    case 'waiting_for_scan':
      return 'Waiting for a scan. On your phone, open the Portaldesk mobile app, tap “Scan QR code” and point the camera at this code.';
    case 'scanned':
      return 'Scanned. Your phone now shows a code: confirm it by typing it here.';
    case 'waiting_for_approval':
      return 'The code is right. Now tap “Approve” on your phone.';
    case 'approved':
      return 'Approved on your phone. Signing in…';
    case 'signed-in':
      return `Signed in to ${view.host ?? 'the portal'}.`;
    case 'denied':
    case 'expired':
    case 'failed':
    case 'error':
      return view.message ?? 'The sign-in did not finish.';
  }
}
