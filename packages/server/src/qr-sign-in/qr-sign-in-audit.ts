import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.ts';
import type { Queryable } from '../storage/database.ts';

/** Every step of every attempt, as the user or an administrator would want to read it later. */
export type QrAuditStep =
  | 'created'
  | 'rotated'
  | 'scanned'
  | 'second_scan'
  | 'wrong_code'
  | 'code_confirmed'
  | 'approved'
  | 'denied'
  | 'expired'
  | 'failed'
  | 'redeemed'
  | 'alert';

export interface QrAuditEntry {
  attemptId: string;
  portalId: number;
  step: QrAuditStep;
  ip: string | null;
  userAgent: string | null;
  userId?: number | null;
  /** Non-secret particulars: device, reason, the new session's id. */
  detail?: Record<string, unknown>;
}

/** Writes the audit row and a log line; neither ever carries a secret, pointer or code. */
export class QrSignInAudit {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async record(entry: QrAuditEntry, tx: Queryable = this.db): Promise<void> {
    await tx.query(
      `INSERT INTO qr_sign_in_audit (attempt_id, portal_id, at, step, ip, user_agent, user_id, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
      [
        entry.attemptId,
        entry.portalId,
        this.clock.now(),
        entry.step,
        entry.ip,
        entry.userAgent,
        entry.userId ?? null,
        entry.detail ? JSON.stringify(entry.detail) : null,
      ],
    );
    this.logger.info(
      { portalId: entry.portalId, attemptId: entry.attemptId, userId: entry.userId ?? null, ip: entry.ip },
      `qr sign-in: ${entry.step}`,
    );
  }

  /** The attempt's steps in order (for the user's security page and for tests). */
  async steps(
    portalId: number,
    attemptId: string,
  ): Promise<
    {
      step: QrAuditStep;
      ip: string | null;
      userAgent: string | null;
      userId: number | null;
      detail: Record<string, unknown> | null;
    }[]
  > {
    return this.db.query(
      `SELECT step, ip, user_agent AS "userAgent", user_id AS "userId", detail FROM qr_sign_in_audit
       WHERE portal_id = $1 AND attempt_id = $2 ORDER BY id`,
      [portalId, attemptId],
    );
  }
}
