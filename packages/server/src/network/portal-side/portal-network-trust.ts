import type { Queryable } from '../../storage/database.ts';

/** A portal's registration with a Network: whom it trusts, and how it proves itself there. */
export interface PortalNetworkTrust {
  portalId: number;
  /** The Network's issuer URL; tokens must carry exactly this `iss`. */
  issuer: string;
  /** The portal's client id at the Network; tokens for this portal carry it as `aud`. */
  clientId: string;
  clientSecret: string;
}

interface TrustRow {
  portal_id: number;
  issuer: string;
  client_id: string;
  client_secret: string;
}

/**
 * Kept by the portal role. The client secret is stored as given, since the portal must present
 * it to the Network; it is a credential for this one portal only.
 */
export class PortalNetworkTrustStore {
  constructor(private readonly db: Queryable) {}

  async save(trust: PortalNetworkTrust): Promise<void> {
    await this.db.query(
      `INSERT INTO portal_network_trust (portal_id, issuer, client_id, client_secret) VALUES ($1, $2, $3, $4)
       ON CONFLICT (portal_id) DO UPDATE
         SET issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id, client_secret = EXCLUDED.client_secret`,
      [trust.portalId, trust.issuer.replace(/\/+$/, ''), trust.clientId, trust.clientSecret],
    );
  }

  async find(portalId: number): Promise<PortalNetworkTrust | null> {
    const [row] = await this.db.query<TrustRow>('SELECT * FROM portal_network_trust WHERE portal_id = $1', [portalId]);
    return row
      ? { portalId: row.portal_id, issuer: row.issuer, clientId: row.client_id, clientSecret: row.client_secret }
      : null;
  }
}
