import type { OtpEnrollment, OtpStatus } from '@portaldesk/protocol';
import type { Clock } from '../../clock/clock.ts';
import { randomTypeableSecret } from '../../secrets/random-secret.ts';
import { digestSecret } from '../../secrets/secret-digest.ts';
import type { Database } from '../../storage/database.ts';
import { isTotpSecret, newTotpSecret, totpStepOf, totpUri } from './totp.ts';

const RECOVERY_CODE_COUNT = 10;

export class TwoFactorError extends Error {
  constructor(
    readonly code: 'INVALID_OTP_SECRET',
    message: string,
  ) {
    super(message);
  }
}

/**
 * TOTP two-factor sign-in. A code is accepted once: the step it belongs to is recorded and a
 * code of that step or an earlier one is refused afterwards (RFC 6238 §5.2). Recovery codes
 * (50 random bits each, stored as SHA-256) sign in once each in place of a code.
 */
export class TwoFactorService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async isEnabled(portalId: number, userId: number): Promise<boolean> {
    return (await this.secretOf(portalId, userId)) !== null;
  }

  async status(portalId: number, userId: number): Promise<OtpStatus> {
    const [row] = await this.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM otp_recovery_codes WHERE portal_id = $1 AND user_id = $2 AND used_at IS NULL',
      [portalId, userId],
    );
    return { enabled: await this.isEnabled(portalId, userId), recoveryCodesLeft: row?.n ?? 0 };
  }

  /** A new secret to show the user; two-factor is on only once a code from it is confirmed. */
  async beginEnrollment(portalId: number, userId: number, issuer: string, label: string): Promise<OtpEnrollment> {
    const secret = newTotpSecret();
    await this.db.query(
      `INSERT INTO user_otp (portal_id, user_id, pending_secret) VALUES ($1, $2, $3)
       ON CONFLICT (portal_id, user_id) DO UPDATE SET pending_secret = EXCLUDED.pending_secret`,
      [portalId, userId, secret],
    );
    const uri = totpUri(secret, issuer, label);
    // Loaded here, not at start: only setting up two-factor sign-in draws a QR code.
    const { default: QRCode } = await import('qrcode');
    return { secret, uri, qrImage: await QRCode.toDataURL(uri) };
  }

  /** Turns two-factor on when `code` matches the pending secret; answers the recovery codes, or null. */
  async confirmEnrollment(portalId: number, userId: number, code: string): Promise<string[] | null> {
    const [row] = await this.db.query<{ pending_secret: string | null }>(
      'SELECT pending_secret FROM user_otp WHERE portal_id = $1 AND user_id = $2',
      [portalId, userId],
    );
    const secret = row?.pending_secret;
    if (!secret) return null;
    const step = totpStepOf(secret, code, this.clock.now());
    if (step === null) return null;
    return this.enable(portalId, userId, secret, step);
  }

  /**
   * Turns two-factor on with a known secret (the demo seed uses this, so that the demo user's
   * codes can be computed). Answers the recovery codes.
   */
  async enableWithSecret(portalId: number, userId: number, secret: string): Promise<string[]> {
    if (!isTotpSecret(secret))
      throw new TwoFactorError('INVALID_OTP_SECRET', 'Not a base32 TOTP secret of 80 bits or more');
    return this.enable(portalId, userId, secret, null);
  }

  /** Turns two-factor off and drops the recovery codes (an administrator's reset for a lost phone). */
  async resetForUser(portalId: number, userId: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM otp_recovery_codes WHERE portal_id = $1 AND user_id = $2', [portalId, userId]);
      await tx.query('DELETE FROM user_otp WHERE portal_id = $1 AND user_id = $2', [portalId, userId]);
    });
  }

  /** Checks a sign-in code: a TOTP code not used before, or an unused recovery code. Uses it up. */
  async verify(portalId: number, userId: number, code: string): Promise<boolean> {
    const secret = await this.secretOf(portalId, userId);
    if (secret === null) return false;
    const compact = code.replace(/\s+/g, '');
    if (/^\d{6}$/.test(compact)) return this.useTotp(portalId, userId, secret, compact);
    return this.useRecoveryCode(portalId, userId, compact);
  }

  private async useTotp(portalId: number, userId: number, secret: string, code: string) {
    const step = totpStepOf(secret, code, this.clock.now());
    if (step === null) return false;
    // One statement, so that two requests racing with the same code cannot both win.
    const rows = await this.db.query(
      `UPDATE user_otp SET last_used_step = $3
       WHERE portal_id = $1 AND user_id = $2 AND (last_used_step IS NULL OR last_used_step < $3) RETURNING user_id`,
      [portalId, userId, step],
    );
    return rows.length > 0;
  }

  private async useRecoveryCode(portalId: number, userId: number, code: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE otp_recovery_codes SET used_at = $4
       WHERE portal_id = $1 AND user_id = $2 AND code_hash = $3 AND used_at IS NULL RETURNING id`,
      [portalId, userId, recoveryCodeHash(code), this.clock.now()],
    );
    return rows.length > 0;
  }

  private async enable(portalId: number, userId: number, secret: string, usedStep: number | null) {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO user_otp (portal_id, user_id, secret, pending_secret, enabled_at, last_used_step)
         VALUES ($1, $2, $3, NULL, $4, $5)
         ON CONFLICT (portal_id, user_id) DO UPDATE SET secret = EXCLUDED.secret, pending_secret = NULL,
           enabled_at = EXCLUDED.enabled_at, last_used_step = EXCLUDED.last_used_step`,
        [portalId, userId, secret, this.clock.now(), usedStep],
      );
      await tx.query('DELETE FROM otp_recovery_codes WHERE portal_id = $1 AND user_id = $2', [portalId, userId]);
      for (const code of codes) {
        await tx.query('INSERT INTO otp_recovery_codes (portal_id, user_id, code_hash) VALUES ($1, $2, $3)', [
          portalId,
          userId,
          recoveryCodeHash(code),
        ]);
      }
    });
    return codes;
  }

  private async secretOf(portalId: number, userId: number): Promise<string | null> {
    const [row] = await this.db.query<{ secret: string | null }>(
      'SELECT secret FROM user_otp WHERE portal_id = $1 AND user_id = $2',
      [portalId, userId],
    );
    return row?.secret ?? null;
  }
}

/** `abcde-fghij`: ten base32 letters, grouped for reading aloud. */
function newRecoveryCode(): string {
  const raw = randomTypeableSecret(10);
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/** Case, spaces and dashes do not matter when a recovery code is typed. */
function recoveryCodeHash(code: string): string {
  return digestSecret(code.toLowerCase().replace(/[^a-z2-7]/g, ''));
}
