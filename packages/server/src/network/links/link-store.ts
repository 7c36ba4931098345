import type { Queryable } from '../../storage/database.ts';

/** A proven link between a Network profile and one account on one portal. */
export interface PortalLink {
  profileId: number;
  clientId: string;
  portalName: string;
  portalUrl: string;
  portalUserId: number;
  portalUserName: string;
}

interface LinkRow {
  profile_id: number;
  client_id: string;
  name: string;
  portal_url: string;
  portal_user_id: number;
  portal_user_name: string;
}

const toLink = (r: LinkRow): PortalLink => ({
  profileId: r.profile_id,
  clientId: r.client_id,
  portalName: r.name,
  portalUrl: r.portal_url,
  portalUserId: r.portal_user_id,
  portalUserName: r.portal_user_name,
});

const SELECT = `SELECT l.profile_id, l.client_id, c.name, c.portal_url, l.portal_user_id, l.portal_user_name
  FROM network_links l JOIN network_clients c ON c.client_id = l.client_id`;

export type LinkOutcome = 'linked' | 'account-linked-elsewhere';

/**
 * Links are only ever created by the flows that prove both sides (see `links/portal-invitations.ts`);
 * this store just records them. One profile has at most one account per portal, and one portal
 * account belongs to at most one profile.
 */
export class LinkStore {
  constructor(private readonly db: Queryable) {}

  /** `via` lets a caller record the link inside its own transaction. */
  async create(
    input: { profileId: number; clientId: string; portalUserId: number; portalUserName: string },
    via: Queryable = this.db,
  ): Promise<LinkOutcome> {
    const [owner] = await via.query<{ profile_id: number }>(
      'SELECT profile_id FROM network_links WHERE client_id = $1 AND portal_user_id = $2',
      [input.clientId, input.portalUserId],
    );
    if (owner && owner.profile_id !== input.profileId) return 'account-linked-elsewhere';
    await via.query(
      `INSERT INTO network_links (profile_id, client_id, portal_user_id, portal_user_name)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (profile_id, client_id) DO UPDATE
         SET portal_user_id = EXCLUDED.portal_user_id, portal_user_name = EXCLUDED.portal_user_name`,
      [input.profileId, input.clientId, input.portalUserId, input.portalUserName],
    );
    return 'linked';
  }

  async listForProfile(profileId: number): Promise<PortalLink[]> {
    return (await this.db.query<LinkRow>(`${SELECT} WHERE l.profile_id = $1 ORDER BY c.name, l.id`, [profileId])).map(
      toLink,
    );
  }

  async find(profileId: number, clientId: string): Promise<PortalLink | null> {
    const [row] = await this.db.query<LinkRow>(`${SELECT} WHERE l.profile_id = $1 AND l.client_id = $2`, [
      profileId,
      clientId,
    ]);
    return row ? toLink(row) : null;
  }

  async remove(profileId: number, clientId: string): Promise<boolean> {
    const rows = await this.db.query(
      'DELETE FROM network_links WHERE profile_id = $1 AND client_id = $2 RETURNING id',
      [profileId, clientId],
    );
    return rows.length > 0;
  }
}
