import type { Queryable } from '../storage/database.ts';

/**
 * What each user has allowed each application: the scopes, growing with every consent. An
 * authorization asking for no more than these goes through without asking the user again.
 */
export class OAuthConsentStore {
  constructor(private readonly db: Queryable) {}

  async allowedScopes(portalId: number, appId: number, userId: number): Promise<string[]> {
    const [row] = await this.db.query<{ scopes: string[] }>(
      'SELECT scopes FROM oauth_consents WHERE portal_id = $1 AND app_id = $2 AND user_id = $3',
      [portalId, appId, userId],
    );
    return row?.scopes ?? [];
  }

  async allow(consent: { portalId: number; appId: number; userId: number; scopes: readonly string[]; at: Date }) {
    await this.db.query(
      `INSERT INTO oauth_consents (portal_id, app_id, user_id, scopes, granted_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (app_id, user_id) DO UPDATE
         SET scopes = ARRAY(SELECT DISTINCT s FROM unnest(oauth_consents.scopes || EXCLUDED.scopes) AS s ORDER BY s),
             granted_at = EXCLUDED.granted_at`,
      [consent.portalId, consent.appId, consent.userId, [...new Set(consent.scopes)].sort(), consent.at],
    );
  }
}
