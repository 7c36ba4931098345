import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.ts';
import { runEvery } from '../clock/run-every.ts';
import type { Queryable } from '../storage/database.ts';

export interface QrPurgeRetention {
  /** Attempts are dead within minutes; a day leaves time to look into one that went wrong. */
  attemptsMs: number;
  /** The audit trail is what the user and the administrator read later: kept much longer. */
  auditMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_QR_PURGE_RETENTION: QrPurgeRetention = { attemptsMs: DAY_MS, auditMs: 365 * DAY_MS };
/** How often each server process purges; several doing it at once is harmless. */
export const QR_PURGE_EVERY_MS = 10 * 60 * 1000;

/**
 * Deletes QR sign-in attempts (device descriptions, addresses, key and secret hashes) once they
 * are long over, and audit entries once they are past their keeping time.
 */
export class QrSignInPurge {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly retention: QrPurgeRetention = DEFAULT_QR_PURGE_RETENTION,
  ) {}

  async purgeOnce(): Promise<{ attempts: number; auditEntries: number }> {
    const now = this.clock.now().getTime();
    const attempts = await this.deleteOlderThan('qr_sign_in_attempts', 'created_at', now - this.retention.attemptsMs);
    const auditEntries = await this.deleteOlderThan('qr_sign_in_audit', 'at', now - this.retention.auditMs);
    if (attempts + auditEntries > 0) this.logger.info({ attempts, auditEntries }, 'qr sign-in: old records purged');
    return { attempts, auditEntries };
  }

  /** Purges every `everyMs` until the returned function is called; a failed run is logged and retried next time. */
  start(everyMs = QR_PURGE_EVERY_MS): () => void {
    return runEvery(
      everyMs,
      () => this.purgeOnce(),
      (error) => this.logger.warn({ err: error }, 'qr sign-in: purge failed'),
    );
  }

  private async deleteOlderThan(table: string, column: string, before: number): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `WITH gone AS (DELETE FROM ${table} WHERE ${column} < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [new Date(before)],
    );
    return row?.n ?? 0;
  }
}
