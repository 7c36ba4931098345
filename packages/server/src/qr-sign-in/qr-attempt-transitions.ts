import { LIVE_STATES, type QrAttemptState } from './qr-attempt-store.ts';

/** What may happen to an attempt. Every change the service makes is one of these. */
export type QrStep =
  | 'rotate'
  | 'reserveTry'
  | 'confirmCode'
  | 'scan'
  | 'approve'
  | 'redeem'
  | 'recordSession'
  | 'deny'
  | 'expire'
  | 'fail';

interface Transition {
  /** The states the step may start from; the store's conditional update checks the same list. */
  from: readonly QrAttemptState[];
  /** The state it leaves the attempt in; absent when the step changes other fields only. */
  to?: QrAttemptState;
}

/**
 * The whole state machine in one place: `pending` → `scanned` → `code_confirmed` → `approved` →
 * `redeemed`, and from any live state to `denied`, `expired` or `failed`.
 */
export const QR_TRANSITIONS: Readonly<Record<QrStep, Transition>> = {
  rotate: { from: ['pending'] },
  scan: { from: ['pending'], to: 'scanned' },
  reserveTry: { from: ['scanned'] },
  confirmCode: { from: ['scanned'], to: 'code_confirmed' },
  approve: { from: ['code_confirmed'], to: 'approved' },
  redeem: { from: ['approved'], to: 'redeemed' },
  recordSession: { from: ['redeemed'] },
  deny: { from: LIVE_STATES, to: 'denied' },
  expire: { from: LIVE_STATES, to: 'expired' },
  fail: { from: LIVE_STATES, to: 'failed' },
};

/** True when `step` may be taken from `state`. */
export function canTake(step: QrStep, state: QrAttemptState): boolean {
  return QR_TRANSITIONS[step].from.includes(state);
}
