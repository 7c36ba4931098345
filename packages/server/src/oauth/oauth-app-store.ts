import { randomBytes, randomInt } from 'node:crypto';
import { randomTypeableSecret } from '../secrets/random-secret.ts';
import { secretsEqual } from '../secrets/secret-comparison.ts';
import { digestSecret } from '../secrets/secret-digest.ts';
import type { Queryable } from '../storage/database.ts';
import { SCOPE_NAME } from '../webhooks/incoming-webhook-store.ts';

/** An application registered on a portal (Bitrix24's "local application"). */
export interface OAuthApp {
  id: number;
  portalId: number;
  clientId: string;
  name: string;
  /** The first is used when the authorization request names none. */
  redirectUris: string[];
  scopes: string[];
}

interface AppRow {
  id: number;
  portal_id: number;
  client_id: string;
  client_secret_hash: string;
  name: string;
  redirect_uris: string[];
  scopes: string[];
}

const toApp = (r: AppRow): OAuthApp => ({
  id: r.id,
  portalId: r.portal_id,
  clientId: r.client_id,
  name: r.name,
  redirectUris: r.redirect_uris,
  scopes: r.scopes,
});

export interface NewOAuthApp {
  portalId: number;
  name: string;
  redirectUris: readonly string[];
  scopes: readonly string[];
}

export class InvalidOAuthAppError extends Error {
  readonly code = 'INVALID_OAUTH_APP';
}

export class OAuthAppStore {
  constructor(private readonly db: Queryable) {}

  /** Registers an app; the client secret is returned once and only its digest is kept. */
  async register(input: NewOAuthApp): Promise<{ app: OAuthApp; clientSecret: string }> {
    const redirectUris = input.redirectUris.map(checkRedirectUri);
    if (redirectUris.length === 0) throw new InvalidOAuthAppError('At least one redirect URI is needed');
    const scopes = [...new Set(input.scopes.map((s) => s.trim().toLowerCase()))];
    const bad = scopes.find((s) => !SCOPE_NAME.test(s));
    if (bad !== undefined) throw new InvalidOAuthAppError(`Not a scope name: ${JSON.stringify(bad)}`);
    // Shaped like Bitrix24's local application codes: local.<14 hex>.<8 digits>.
    const clientId = `local.${randomBytes(7).toString('hex')}.${String(randomInt(10_000_000, 100_000_000))}`;
    const clientSecret = randomTypeableSecret(50);
    const [row] = await this.db.query<AppRow>(
      `INSERT INTO oauth_apps (portal_id, client_id, client_secret_hash, name, redirect_uris, scopes)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [input.portalId, clientId, digestSecret(clientSecret), input.name, redirectUris, scopes],
    );
    return { app: toApp(row as AppRow), clientSecret };
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

  private async row(portalId: number, clientId: string): Promise<AppRow | null> {
    const [row] = await this.db.query<AppRow>('SELECT * FROM oauth_apps WHERE portal_id = $1 AND client_id = $2', [
      portalId,
      clientId,
    ]);
    return row ?? null;
  }
}

/**
 * Redirect URIs are absolute, without a fragment, and https — except loopback addresses, where
 * a native or test app listens on http (RFC 8252 §7.3).
 */
function checkRedirectUri(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new InvalidOAuthAppError(`Not an absolute URL: ${uri}`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.endsWith('.localhost');
  if (url.hash || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    throw new InvalidOAuthAppError(`A redirect URI must be https (or http on loopback) with no fragment: ${uri}`);
  }
  return uri;
}
