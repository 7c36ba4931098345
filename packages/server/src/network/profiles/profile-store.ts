import { randomBytes } from 'node:crypto';
import type { LoginIdentifier } from '@portaldesk/protocol';
import type { Queryable } from '../../storage/database.ts';
import type { Profile } from './profile.ts';

interface ProfileRow {
  id: number;
  public_id: string;
  email: string | null;
  email_verified_at: Date | null;
  phone: string | null;
  display_name: string;
  totp_secret: string | null;
}

const COLUMNS = 'id, public_id, email, email_verified_at, phone, display_name, totp_secret';

const toProfile = (r: ProfileRow): Profile => ({
  id: r.id,
  publicId: r.public_id,
  email: r.email,
  emailVerified: r.email_verified_at !== null,
  phone: r.phone,
  displayName: r.display_name,
  otpEnabled: r.totp_secret !== null,
});

export interface NewProfile {
  /** Already normalised (lower case). */
  email?: string | null;
  /** Already normalised (E.164). */
  phone?: string | null;
  displayName: string;
  passwordHash: string;
}

export class ProfileStore {
  constructor(private readonly db: Queryable) {}

  async create(input: NewProfile): Promise<Profile> {
    const [row] = await this.db.query<ProfileRow>(
      `INSERT INTO network_profiles (public_id, email, phone, display_name, password_hash)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [
        `np_${randomBytes(12).toString('hex')}`,
        input.email ?? null,
        input.phone ?? null,
        input.displayName,
        input.passwordHash,
      ],
    );
    return toProfile(row as ProfileRow);
  }

  async findById(id: number): Promise<Profile | null> {
    const [row] = await this.db.query<ProfileRow>(`SELECT ${COLUMNS} FROM network_profiles WHERE id = $1`, [id]);
    return row ? toProfile(row) : null;
  }

  /** The profile and its secrets, for sign-in only. Usernames are not Network logins. */
  async findForSignIn(
    login: LoginIdentifier,
  ): Promise<{ profile: Profile; passwordHash: string; totpSecret: string | null } | null> {
    if (login.kind === 'username') return null;
    const column = login.kind === 'email' ? 'email' : 'phone';
    const [row] = await this.db.query<ProfileRow & { password_hash: string }>(
      `SELECT ${COLUMNS}, password_hash FROM network_profiles WHERE ${column} = $1`,
      [login.value],
    );
    return row ? { profile: toProfile(row), passwordHash: row.password_hash, totpSecret: row.totp_secret } : null;
  }

  async setTotpSecret(id: number, secret: string | null): Promise<void> {
    await this.db.query('UPDATE network_profiles SET totp_secret = $2, totp_last_step = NULL WHERE id = $1', [
      id,
      secret,
    ]);
  }

  /**
   * Records that a TOTP time step was used; false when it (or a later one) already was, so that
   * an observed code cannot be replayed within its window.
   */
  async claimTotpStep(id: number, step: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE network_profiles SET totp_last_step = $2
       WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`,
      [id, step],
    );
    return rows.length > 0;
  }

  /** Marks the e-mail verified only if it is still the profile's e-mail. */
  async markEmailVerified(id: number, email: string, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      'UPDATE network_profiles SET email_verified_at = $3 WHERE id = $1 AND email = $2 RETURNING id',
      [id, email, at],
    );
    return rows.length > 0;
  }
}
