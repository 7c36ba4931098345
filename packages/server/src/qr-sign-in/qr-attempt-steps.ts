import { QR_REDEEM_WINDOW_MS, type QrFailureReason } from '@portaldesk/protocol';
import { LIVE_STATES, type QrAttempt, type TransitionGuard } from './qr-attempt-store.ts';
import { QR_TRANSITIONS, type QrStep } from './qr-attempt-transitions.ts';
import type { QrAuditStep } from './qr-sign-in-audit.ts';
import type { QrSignInDependencies } from './qr-sign-in-dependencies.ts';
import { qrError } from './qr-sign-in-errors.ts';

const POINTER_KEY_PURPOSE = 'qr-sign-in-pointer';

/** What both sides of a sign-in do to an attempt: take a step, end it, expire it, audit it. */
export class QrAttemptSteps {
  constructor(readonly deps: QrSignInDependencies) {}

  /** The attempt as it stands now: past its time, it is marked expired (once, by whoever sees it first). */
  async current(attempt: QrAttempt): Promise<QrAttempt> {
    if (!LIVE_STATES.includes(attempt.state) || this.now() < deadlineOf(attempt)) return attempt;
    const expired = await this.end(attempt, 'expire', null);
    if (!expired) return (await this.deps.store.find(attempt.portalId, attempt.id)) ?? attempt;
    await this.audit(expired, 'expired', { ip: null, userAgent: null });
    return expired;
  }

  async fail(
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
  async transition(
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
  end(attempt: QrAttempt, step: 'deny' | 'expire' | 'fail', reason: QrFailureReason | null): Promise<QrAttempt | null> {
    return this.transition(attempt.portalId, attempt.id, step, { failureReason: reason, ...wiped(this.now()) });
  }

  notAt(attempt: QrAttempt) {
    if (attempt.state === 'expired') return qrError('QR_ATTEMPT_ENDED', 'This sign-in has expired; start again');
    if (!LIVE_STATES.includes(attempt.state)) return qrError('QR_ATTEMPT_ENDED', 'This sign-in has ended');
    return qrError('QR_WRONG_STEP', `This sign-in is not at that step (it is ${attempt.state})`);
  }

  async audit(
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

  pointerKey(): Promise<Buffer> {
    return this.deps.keys.key(POINTER_KEY_PURPOSE);
  }

  now(): Date {
    return this.deps.clock.now();
  }
}

/** Until approval the attempt's own lifetime; after it, the redeem window. */
export function deadlineOf(attempt: QrAttempt): Date {
  if (attempt.state === 'approved' && attempt.approvedAt) {
    return new Date(attempt.approvedAt.getTime() + QR_REDEEM_WINDOW_MS);
  }
  return attempt.expiresAt;
}

/** What an ended attempt must no longer hold. */
export function wiped(now: Date) {
  return {
    endedAt: now,
    pointerNonceHash: null,
    pointerExpiresAt: null,
    checkCode: null,
    sealed: null,
    redeemCodeHash: null,
  } satisfies Partial<QrAttempt>;
}
