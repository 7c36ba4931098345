import { randomBytes, randomInt } from 'node:crypto';
import { randomTypeableSecret } from '../secrets/random-secret.ts';
import { secretsEqual } from '../secrets/secret-comparison.ts';
import { digestSecret } from '../secrets/secret-digest.ts';
import type { Database } from '../storage/database.ts';
import { checkAppName, checkRedirectUris, checkScopes } from './oauth-app-input.ts';

/** An application registered on a portal (Bitrix24's "local application"). */
export interface OAuthApp {
  id: number;
  portalId: number;
  clientId: string;
  name: string;
  /** The first is used when the authorization request names none. */
  redirectUris: string[];
  scopes: string[];
  createdAt: Date;
  secretRotatedAt: Date | null;
}

/** An app with its client secret, which exists only in this answer: only its digest is kept. */
export interface OAuthAppWithSecret {
  app: OAuthApp;
  clientSecret: string;
}

interface AppRow {
  id: number;
  portal_id: number;
  client_id: string;
  client_secret_hash: string;
  name: string;
  redirect_uris: string[];
  scopes: string[];
  created_at: Date;
  secret_rotated_at: Date | null;
}

const toApp = (r: AppRow): OAuthApp => ({
  id: r.id,
  portalId: r.portal_id,
  clientId: r.client_id,
  name: r.name,
  redirectUris: r.redirect_uris,
  scopes: r.scopes,
  createdAt: new Date(r.created_at),
  secretRotatedAt: r.secret_rotated_at === null ? null : new Date(r.secret_rotated_at),
});

export interface NewOAuthApp {
  portalId: number;
  name: string;
  redirectUris: readonly string[];
  scopes: readonly string[];
}

/** Long enough that guessing is hopeless, typeable if someone must copy it by hand. */
const CLIENT_SECRET_LENGTH = 50;

/** The portal's OAuth applications, each read and changed only through its portal. */
export class OAuthAppStore {
  constructor(private readonly db: Database) {}

  async register(input: NewOAuthApp): Promise<OAuthAppWithSecret> {
    const name = checkAppName(input.name);
    const redirectUris = checkRedirectUris(input.redirectUris);
    const scopes = checkScopes(input.scopes);
    // Shaped like Bitrix24's local application codes: local.<14 hex>.<8 digits>.
    const clientId = `local.${randomBytes(7).toString('hex')}.${String(randomInt(10_000_000, 100_000_000))}`;
    const clientSecret = randomTypeableSecret(CLIENT_SECRET_LENGTH);
    const [row] = await this.db.query<AppRow>(
      `INSERT INTO oauth_apps (portal_id, client_id, client_secret_hash, name, redirect_uris, scopes)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [input.portalId, clientId, digestSecret(clientSecret), name, redirectUris, scopes],
    );
    return { app: toApp(row as AppRow), clientSecret };
  }

  async list(portalId: number): Promise<OAuthApp[]> {
    const rows = await this.db.query<AppRow>('SELECT * FROM oauth_apps WHERE portal_id = $1 ORDER BY id', [portalId]);
    return rows.map(toApp);
  }

  async findByClientId(portalId: number, clientId: string): Promise<OAuthApp | null> {
    const row = await this.row(portalId, clientId);
    return row ? toApp(row) : null;
  }

  /** The app when `clientSecret` is its secret; null for an unknown app or a wrong secret alike. */
  async authenticate(portalId: number, clientId: string, clientSecret: string): Promise<OAuthApp | null> {
    const row = await this.row(portalId, clientId);
    if (!row) return null;
    return secretsEqual(digestSecret(clientSecret), row.client_secret_hash) ? toApp(row) : null;
  }

  /** A new secret replaces the old one at once; tokens already issued stay valid. Null: no such app. */
  async rotateSecret(portalId: number, clientId: string, now: Date): Promise<OAuthAppWithSecret | null> {
    const clientSecret = randomTypeableSecret(CLIENT_SECRET_LENGTH);
    const [row] = await this.db.query<AppRow>(
      `UPDATE oauth_apps SET client_secret_hash = $3, secret_rotated_at = $4
        WHERE portal_id = $1 AND client_id = $2 RETURNING *`,
      [portalId, clientId, digestSecret(clientSecret), now],
    );
    return row ? { app: toApp(row), clientSecret } : null;
  }

  /**
   * Deletes the app with everything issued to it: codes, tokens, consents. Answers the token
   * families that were still live (their realtime sockets must close), or null: no such app.
   */
  async delete(portalId: number, clientId: string): Promise<{ revokedFamilyIds: string[] } | null> {
    return this.db.transaction(async (tx) => {
      const [app] = await tx.query<{ id: number }>(
        'SELECT id FROM oauth_apps WHERE portal_id = $1 AND client_id = $2 FOR UPDATE',
        [portalId, clientId],
      );
      if (!app) return null;
      const live = await tx.query<{ id: string }>(
        'SELECT id FROM oauth_token_families WHERE app_id = $1 AND revoked_at IS NULL',
        [app.id],
      );
      await tx.query(
        'DELETE FROM oauth_tokens WHERE family_id IN (SELECT id FROM oauth_token_families WHERE app_id = $1)',
        [app.id],
      );
      await tx.query('DELETE FROM oauth_authorization_codes WHERE app_id = $1', [app.id]);
      await tx.query('DELETE FROM oauth_token_families WHERE app_id = $1', [app.id]);
      // Consents go with the app (ON DELETE CASCADE).
      await tx.query('DELETE FROM oauth_apps WHERE id = $1', [app.id]);
      return { revokedFamilyIds: live.map((row) => row.id) };
    });
  }

  private async row(portalId: number, clientId: string): Promise<AppRow | null> {
    const [row] = await this.db.query<AppRow>('SELECT * FROM oauth_apps WHERE portal_id = $1 AND client_id = $2', [
      portalId,
      clientId,
    ]);
    return row ?? null;
  }
}
