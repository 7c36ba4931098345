import type { AppPasswordInfo } from '@portaldesk/protocol';
import type { Clock } from '../../clock/clock.ts';
import { randomTypeableSecret } from '../../secrets/random-secret.ts';
import { secretsEqual } from '../../secrets/secret-comparison.ts';
import { digestSecret } from '../../secrets/secret-digest.ts';
import type { Queryable } from '../../storage/database.ts';
import type { SessionService } from '../sessions/session-service.ts';

/** 32 characters of a 32-letter alphabet: 160 bits, far beyond guessing, so SHA-256 storage suffices. */
const APP_PASSWORD_LENGTH = 32;

interface AppPasswordRow {
  id: number;
  os_mark: string;
  os_account: string;
  created_at: Date;
  last_used_at: Date | null;
}

/** Where a desktop is: the machine (`user_os_mark`) and the OS user on it (`user_account`). */
export interface DesktopBinding {
  osMark: string;
  osAccount: string;
}

/**
 * Application passwords: one per desktop, issued after a two-factor sign-in (or on request),
 * usable only from the desktop they were issued to, in place of the password and the code.
 */
export class AppPasswordService {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly sessions: SessionService,
  ) {}

  /** A new app password for this desktop; the one it had before stops working. */
  async issue(portalId: number, userId: number, binding: DesktopBinding): Promise<{ id: number; password: string }> {
    const password = randomTypeableSecret(APP_PASSWORD_LENGTH);
    const now = this.clock.now();
    await this.db.query(
      `UPDATE app_passwords SET revoked_at = $5
       WHERE portal_id = $1 AND user_id = $2 AND os_mark = $3 AND os_account = $4 AND revoked_at IS NULL`,
      [portalId, userId, binding.osMark, binding.osAccount, now],
    );
    const [row] = await this.db.query<{ id: number }>(
      `INSERT INTO app_passwords (portal_id, user_id, password_hash, os_mark, os_account, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [portalId, userId, digestSecret(password), binding.osMark, binding.osAccount, now],
    );
    return { id: (row as { id: number }).id, password };
  }

  /**
   * The id of the user's live app password equal to `password` and issued to this desktop, or
   * null. Called for unknown logins too (user id 0), so that both do the same work.
   */
  async match(portalId: number, userId: number, password: string, binding: DesktopBinding): Promise<number | null> {
    const [row] = await this.db.query<AppPasswordRow>(
      `SELECT id, os_mark, os_account, created_at, last_used_at FROM app_passwords
       WHERE portal_id = $1 AND user_id = $2 AND password_hash = $3 AND revoked_at IS NULL`,
      [portalId, userId, digestSecret(password)],
    );
    if (!row) return null;
    const bound = secretsEqual(row.os_mark, binding.osMark) && secretsEqual(row.os_account, binding.osAccount);
    if (!bound) return null;
    await this.db.query('UPDATE app_passwords SET last_used_at = $3 WHERE portal_id = $1 AND id = $2', [
      portalId,
      row.id,
      this.clock.now(),
    ]);
    return row.id;
  }

  async list(portalId: number, userId: number): Promise<AppPasswordInfo[]> {
    const rows = await this.db.query<AppPasswordRow>(
      `SELECT id, os_mark, os_account, created_at, last_used_at FROM app_passwords
       WHERE portal_id = $1 AND user_id = $2 AND revoked_at IS NULL ORDER BY id`,
      [portalId, userId],
    );
    return rows.map((r) => ({
      id: r.id,
      osMark: r.os_mark,
      osAccount: r.os_account,
      createdAt: new Date(r.created_at).toISOString(),
      lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
    }));
  }

  /** Revokes it and ends the sessions opened with it; false when the user has no such live one. */
  async revoke(portalId: number, userId: number, id: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE app_passwords SET revoked_at = $4
       WHERE portal_id = $1 AND user_id = $2 AND id = $3 AND revoked_at IS NULL RETURNING id`,
      [portalId, userId, id, this.clock.now()],
    );
    if (rows.length === 0) return false;
    await this.sessions.revokeOpenedWith(portalId, userId, id);
    return true;
  }
}
