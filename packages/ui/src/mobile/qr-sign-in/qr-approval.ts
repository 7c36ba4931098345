import { RestCallError } from '@portaldesk/client';
import type { QrPhoneState, QrPhoneView } from '@portaldesk/protocol';
import { onBeforeUnmount, reactive } from 'vue';
import type { RestClient } from '../../rest/rest-client.ts';

/** How often the page asks whether the computer has typed the code (or the attempt ended). */
const POLL_MS = 1_000;
const SETTLED: ReadonlySet<QrPhoneState> = new Set(['redeemed', 'denied', 'expired', 'failed']);

export interface QrApprovalState {
  /** `loading` until the scan (or the first look) has answered; `error` when it was refused. */
  phase: 'loading' | 'ready' | 'error';
  view: QrPhoneView | null;
  error: string;
  busy: boolean;
}

/**
 * The approval page's state: scans the link once (a second scan would kill the attempt, so a
 * reload looks the attempt up by id instead), then follows it until it settles.
 */
export function useQrApproval(rest: RestClient) {
  const state = reactive<QrApprovalState>({ phase: 'loading', view: null, error: '', busy: false });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const show = (view: QrPhoneView) => {
    state.view = view;
    state.phase = 'ready';
    schedule();
  };
  const fail = (error: unknown) => {
    state.error = messageOf(error);
    if (!state.view) state.phase = 'error';
  };
  function schedule() {
    clearTimeout(timer);
    const view = state.view;
    if (stopped || !view || SETTLED.has(view.state)) return;
    timer = setTimeout(() => void refresh(view.attemptId), POLL_MS);
  }
  async function refresh(attemptId: string) {
    try {
      show(await rest.call<QrPhoneView>('portaldesk.qrsignin.get', { ID: attemptId }));
    } catch (error) {
      fail(error);
    }
  }
  async function decide(method: 'portaldesk.qrsignin.approve' | 'portaldesk.qrsignin.deny') {
    const view = state.view;
    if (!view || state.busy) return;
    state.busy = true;
    state.error = '';
    try {
      show(await rest.call<QrPhoneView>(method, { ID: view.attemptId }));
    } catch (error) {
      fail(error);
      await refresh(view.attemptId);
    } finally {
      state.busy = false;
    }
  }
  onBeforeUnmount(() => {
    stopped = true;
    clearTimeout(timer);
  });

  return {
    state,
    async scan(link: string): Promise<QrPhoneView | null> {
      try {
        const view = await rest.call<QrPhoneView>('portaldesk.qrsignin.scan', { QR: link });
        show(view);
        return view;
      } catch (error) {
        fail(error);
        return null;
      }
    },
    follow: refresh,
    approve: () => decide('portaldesk.qrsignin.approve'),
    deny: () => decide('portaldesk.qrsignin.deny'),
  };
}

function messageOf(error: unknown): string {
  if (error instanceof RestCallError) {
    if (error.code === 'NETWORK_ERROR') return 'The portal could not be reached. Check your connection.';
    if (error.status === 429) return 'Too many tries. Wait a few minutes, then scan the code again.';
    if (error.description) return error.description;
  }
  return 'Something went wrong. Start again on the computer.';
}

/** What each step means to the person holding the phone. */
export function phoneStepText(view: QrPhoneView): string {
  switch (view.state) {
    case 'waiting_for_code':
      return 'Type this code on the computer. Approve becomes possible once the computer has it right.';
    case 'waiting_for_approval':
      return 'The computer has the right code. Approve only if you are signing in there yourself, right now.';
    case 'approved':
      return 'Approved. The computer is being signed in…';
    case 'redeemed':
      return 'The computer is signed in.';
    case 'denied':
      return 'You denied this sign-in. Nobody was signed in.';
    case 'expired':
      return 'This sign-in took too long and expired. Nobody was signed in. Start again on the computer.';
    case 'failed':
      return failureText(view.reason);
  }
}

function failureText(reason: QrPhoneView['reason']): string {
  switch (reason) {
    case 'second_scan':
      return 'The code was scanned twice, so someone else may have seen it. The sign-in was cancelled for safety.';
    case 'too_many_wrong_codes':
      return 'A wrong code was typed on the computer three times. The sign-in was cancelled.';
    case 'phone_signed_out':
      return 'This phone signed out, so the sign-in was cancelled.';
    case 'cancelled':
      return 'The sign-in was cancelled on the computer.';
    default:
      return 'The sign-in was cancelled. Nobody was signed in.';
  }
}
