import type { Clock } from '../../clock/clock.ts';
import { randomToken } from '../../secrets/random-secret.ts';
import { digestSecret } from '../../secrets/secret-digest.ts';
import type { Database } from '../../storage/database.ts';
import type { NetworkIssuer } from '../network-issuer.ts';
import type { Profile } from '../profiles/profile.ts';
import type { ProfileStore } from '../profiles/profile-store.ts';
import type { EmailOutbox } from './email-outbox.ts';

const VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Proves that a profile's owner reads its e-mail: a single-use token is mailed to the address,
 * and presenting it marks the address verified — only if it is still the profile's address.
 */
export class EmailVerification {
  constructor(
    private readonly db: Database,
    private readonly profiles: ProfileStore,
    private readonly outbox: EmailOutbox,
    private readonly issuer: NetworkIssuer,
    private readonly clock: Clock,
  ) {}

  async send(profile: Profile): Promise<void> {
    if (!profile.email) return;
    const token = randomToken();
    await this.db.query(
      'INSERT INTO network_email_verifications (token_hash, profile_id, email, expires_at) VALUES ($1, $2, $3, $4)',
      [digestSecret(token), profile.id, profile.email, new Date(this.clock.now().getTime() + VERIFICATION_TTL_MS)],
    );
    await this.outbox.enqueue({
      recipient: profile.email,
      kind: 'verify-email',
      subject: 'Confirm your e-mail for your Network profile',
      link: `${this.issuer.url}/network/email/confirm/?token=${encodeURIComponent(token)}`,
    });
  }

  /** True when the token was valid and unused and the address is now verified. */
  async confirm(token: string): Promise<boolean> {
    const now = this.clock.now();
    const [row] = await this.db.query<{ profile_id: number; email: string }>(
      `UPDATE network_email_verifications SET used_at = $2
       WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING profile_id, email`,
      [digestSecret(token), now],
    );
    if (!row) return false;
    return this.profiles.markEmailVerified(row.profile_id, row.email, now);
  }
}
