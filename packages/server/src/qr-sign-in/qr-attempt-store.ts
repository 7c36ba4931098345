import type { QrFailureReason } from '@portaldesk/protocol';
import type { Queryable } from '../storage/database.ts';

/**
 * Where an attempt is. `pending` → `scanned` → `code_confirmed` → `approved` → `redeemed`, or
 * it ends `denied`, `expired` or `failed` (with a reason) from any step before `redeemed`.
 */
export type QrAttemptState =
  | 'pending'
  | 'scanned'
  | 'code_confirmed'
  | 'approved'
  | 'redeemed'
  | 'denied'
  | 'expired'
  | 'failed';

export const LIVE_STATES: readonly QrAttemptState[] = ['pending', 'scanned', 'code_confirmed', 'approved'];

export interface QrAttempt {
  id: string;
  portalId: number;
  state: QrAttemptState;
  failureReason: QrFailureReason | null;
  publicKey: string;
  secretHash: string;
  deviceName: string;
  deviceOs: string;
  osMark: string;
  osAccount: string;
  desktopIp: string;
  desktopUserAgent: string | null;
  createdAt: Date;
  expiresAt: Date;
  pointerNonceHash: string | null;
  pointerExpiresAt: Date | null;
  rotations: number;
  userId: number | null;
  scannerSessionId: string | null;
  scannerIp: string | null;
  scannedAt: Date | null;
  checkCode: string | null;
  wrongCodes: number;
  codeConfirmedAt: Date | null;
  approvedAt: Date | null;
  redeemCodeHash: string | null;
  sealed: string | null;
  endedAt: Date | null;
  sessionId: string | null;
}

/** Columns a transition may set, by field name. */
type Settable = Partial<Omit<QrAttempt, 'id' | 'portalId'>>;

const COLUMN: Record<keyof QrAttempt, string> = {
  id: 'id',
  portalId: 'portal_id',
  state: 'state',
  failureReason: 'failure_reason',
  publicKey: 'public_key',
  secretHash: 'secret_hash',
  deviceName: 'device_name',
  deviceOs: 'device_os',
  osMark: 'os_mark',
  osAccount: 'os_account',
  desktopIp: 'desktop_ip',
  desktopUserAgent: 'desktop_user_agent',
  createdAt: 'created_at',
  expiresAt: 'expires_at',
  pointerNonceHash: 'pointer_nonce_hash',
  pointerExpiresAt: 'pointer_expires_at',
  rotations: 'rotations',
  userId: 'user_id',
  scannerSessionId: 'scanner_session_id',
  scannerIp: 'scanner_ip',
  scannedAt: 'scanned_at',
  checkCode: 'check_code',
  wrongCodes: 'wrong_codes',
  codeConfirmedAt: 'code_confirmed_at',
  approvedAt: 'approved_at',
  redeemCodeHash: 'redeem_code_hash',
  sealed: 'sealed',
  endedAt: 'ended_at',
  sessionId: 'session_id',
};
const FIELDS = Object.keys(COLUMN) as (keyof QrAttempt)[];
const SELECT_LIST = FIELDS.map((f) => `${COLUMN[f]} AS "${f}"`).join(', ');
const DATES: readonly (keyof QrAttempt)[] = [
  'createdAt',
  'expiresAt',
  'pointerExpiresAt',
  'scannedAt',
  'codeConfirmedAt',
  'approvedAt',
  'endedAt',
];

/** A condition on the row besides its state, checked in the same statement as the change. */
export interface TransitionGuard {
  pointerNonceHash?: string;
  redeemCodeHash?: string;
  /** Only while fewer wrong codes than this were counted. */
  wrongCodesBelow?: number;
  rotationsBelow?: number;
}

/**
 * Attempts, every query scoped by portal. Every change is one conditional UPDATE on the states
 * it may leave, so two racing requests (two phones scanning at once) cannot both win.
 */
export class QrAttemptStore {
  constructor(private readonly db: Queryable) {}

  async insert(attempt: QrAttempt): Promise<void> {
    const columns = FIELDS.map((f) => COLUMN[f]).join(', ');
    const placeholders = FIELDS.map((_, i) => `$${i + 1}`).join(', ');
    await this.db.query(
      `INSERT INTO qr_sign_in_attempts (${columns}) VALUES (${placeholders})`,
      FIELDS.map((f) => attempt[f]),
    );
  }

  async find(portalId: number, id: string): Promise<QrAttempt | null> {
    const [row] = await this.db.query<QrAttempt>(
      `SELECT ${SELECT_LIST} FROM qr_sign_in_attempts WHERE portal_id = $1 AND id = $2`,
      [portalId, id],
    );
    return row ? toAttempt(row) : null;
  }

  /**
   * Applies `set` when the attempt is in one of `from` (and passes `guard`); answers the changed
   * attempt, or null when it was not in such a state any more. `wrongCodes` and `rotations` in
   * `set` are added to the stored count rather than stored.
   */
  async transition(
    portalId: number,
    id: string,
    from: readonly QrAttemptState[],
    set: Settable,
    guard: TransitionGuard = {},
  ): Promise<QrAttempt | null> {
    const params: unknown[] = [portalId, id, from];
    const assignments = Object.entries(set).map(([field, value]) => {
      params.push(value);
      const column = COLUMN[field as keyof QrAttempt];
      const counter = field === 'wrongCodes' || field === 'rotations';
      return counter ? `${column} = ${column} + $${params.length}` : `${column} = $${params.length}`;
    });
    const conditions = ['portal_id = $1', 'id = $2', 'state = ANY($3::text[])'];
    if (guard.pointerNonceHash !== undefined) {
      params.push(guard.pointerNonceHash);
      conditions.push(`pointer_nonce_hash = $${params.length}`);
    }
    if (guard.redeemCodeHash !== undefined) {
      params.push(guard.redeemCodeHash);
      conditions.push(`redeem_code_hash = $${params.length}`);
    }
    if (guard.wrongCodesBelow !== undefined) {
      params.push(guard.wrongCodesBelow);
      conditions.push(`wrong_codes < $${params.length}`);
    }
    if (guard.rotationsBelow !== undefined) {
      params.push(guard.rotationsBelow);
      conditions.push(`rotations < $${params.length}`);
    }
    const [row] = await this.db.query<QrAttempt>(
      `UPDATE qr_sign_in_attempts SET ${assignments.join(', ')} WHERE ${conditions.join(' AND ')}
       RETURNING ${SELECT_LIST}`,
      params,
    );
    return row ? toAttempt(row) : null;
  }

  /** Live attempts scanned by this session (to end them when it ends). */
  async liveScannedBy(portalId: number, sessionId: string): Promise<QrAttempt[]> {
    const rows = await this.db.query<QrAttempt>(
      `SELECT ${SELECT_LIST} FROM qr_sign_in_attempts
       WHERE portal_id = $1 AND scanner_session_id = $2 AND ended_at IS NULL`,
      [portalId, sessionId],
    );
    return rows.map(toAttempt);
  }
}

function toAttempt(row: QrAttempt): QrAttempt {
  const attempt = { ...row } as Record<keyof QrAttempt, unknown>;
  for (const field of DATES) {
    const value = attempt[field];
    if (value !== null) attempt[field] = new Date(value as string | Date);
  }
  return attempt as QrAttempt;
}
