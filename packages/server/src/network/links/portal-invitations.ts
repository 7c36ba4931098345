import { normalizeEmail } from '@portaldesk/protocol';
import type { Clock } from '../../clock/clock.ts';
import { randomToken } from '../../secrets/random-secret.ts';
import { digestSecret } from '../../secrets/secret-digest.ts';
import type { Database } from '../../storage/database.ts';
import type { NetworkClient } from '../clients/network-client.ts';
import type { EmailOutbox } from '../email/email-outbox.ts';
import type { NetworkIssuer } from '../network-issuer.ts';
import type { Profile } from '../profiles/profile.ts';
import type { LinkStore } from './link-store.ts';

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type AcceptOutcome =
  | { kind: 'linked'; clientId: string }
  /** Unknown, used or expired token: one answer, so tokens cannot be probed. */
  | { kind: 'invalid' }
  /** The invitation was sent to an address that is not this profile's verified e-mail. */
  | { kind: 'email-mismatch' }
  | { kind: 'account-linked-elsewhere' };

/**
 * Linking by invitation. The portal vouches for its account (its back-channel call, made with its
 * client secret, names the user and the user's e-mail there); the Network mails a single-use token
 * to that address; the link is made only when a signed-in profile presents the token *and* that
 * address is the profile's own verified e-mail. Two e-mails that merely look alike never link
 * anything: without the mailed token there is no link, and with it the addresses must be equal.
 */
export class PortalInvitations {
  constructor(
    private readonly db: Database,
    private readonly links: LinkStore,
    private readonly outbox: EmailOutbox,
    private readonly issuer: NetworkIssuer,
    private readonly clock: Clock,
  ) {}

  async invite(portal: NetworkClient, input: { userId: number; userName: string; email: string }): Promise<void> {
    const token = randomToken();
    const email = normalizeEmail(input.email);
    await this.db.query(
      `INSERT INTO network_invitations (token_hash, client_id, portal_user_id, portal_user_name, email, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        digestSecret(token),
        portal.clientId,
        input.userId,
        input.userName,
        email,
        new Date(this.clock.now().getTime() + INVITATION_TTL_MS),
      ],
    );
    await this.outbox.enqueue({
      recipient: email,
      kind: 'portal-invitation',
      subject: `Add ${portal.name} to your Network profile`,
      link: `${this.issuer.url}/network/invitation/?token=${encodeURIComponent(token)}`,
    });
  }

  async accept(profile: Profile, token: string): Promise<AcceptOutcome> {
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{
        client_id: string;
        portal_user_id: number;
        portal_user_name: string;
        email: string;
      }>(
        `SELECT client_id, portal_user_id, portal_user_name, email FROM network_invitations
         WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2 FOR UPDATE`,
        [digestSecret(token), now],
      );
      if (!row) return { kind: 'invalid' } as const;
      if (!profile.emailVerified || profile.email !== row.email) return { kind: 'email-mismatch' } as const;
      const outcome = await this.links.create(
        {
          profileId: profile.id,
          clientId: row.client_id,
          portalUserId: row.portal_user_id,
          portalUserName: row.portal_user_name,
        },
        tx,
      );
      if (outcome !== 'linked') return { kind: 'account-linked-elsewhere' } as const;
      await tx.query('UPDATE network_invitations SET accepted_at = $2 WHERE token_hash = $1', [
        digestSecret(token),
        now,
      ]);
      return { kind: 'linked', clientId: row.client_id } as const;
    });
  }
}
