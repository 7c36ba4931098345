import { randomBytes } from 'node:crypto';
import { randomToken } from '../../secrets/random-secret.ts';
import { secretsEqual } from '../../secrets/secret-comparison.ts';
import { digestSecret } from '../../secrets/secret-digest.ts';
import type { Queryable } from '../../storage/database.ts';
import type { NetworkClient } from './network-client.ts';

interface ClientRow {
  client_id: string;
  kind: 'portal' | 'native';
  name: string;
  redirect_uris: string[];
  portal_url: string | null;
  secret_hash: string | null;
}

const toClient = (r: ClientRow): NetworkClient => ({
  clientId: r.client_id,
  kind: r.kind,
  name: r.name,
  redirectUris: r.redirect_uris,
  portalUrl: r.portal_url,
});

/** The path on a portal where the Network sends a person back after web sign-in. */
export const PORTAL_CALLBACK_PATH = '/network/callback';

export class PortalRegistrationError extends Error {
  constructor(
    readonly code: 'INVALID_PORTAL_URL' | 'PORTAL_ALREADY_REGISTERED',
    message: string,
  ) {
    super(message);
  }
}

export class NetworkClientStore {
  constructor(private readonly db: Queryable) {}

  /**
   * Registers a portal with the Network and returns its credentials. The secret is shown once:
   * only its hash is kept. `portalUrl` is the portal's origin, e.g. `https://acme.example.com`.
   */
  async registerPortal(input: {
    name: string;
    portalUrl: string;
  }): Promise<{ clientId: string; clientSecret: string }> {
    const origin = portalOrigin(input.portalUrl);
    const clientId = `portal_${randomBytes(8).toString('hex')}`;
    const clientSecret = randomToken();
    const rows = await this.db.query(
      `INSERT INTO network_clients (client_id, kind, name, secret_hash, redirect_uris, portal_url)
       VALUES ($1, 'portal', $2, $3, $4, $5) ON CONFLICT (portal_url) DO NOTHING RETURNING client_id`,
      [clientId, input.name, digestSecret(clientSecret), JSON.stringify([`${origin}${PORTAL_CALLBACK_PATH}`]), origin],
    );
    if (rows.length === 0) {
      throw new PortalRegistrationError('PORTAL_ALREADY_REGISTERED', `${origin} is already registered`);
    }
    return { clientId, clientSecret };
  }

  async listPortals(): Promise<NetworkClient[]> {
    const rows = await this.db.query<ClientRow>("SELECT * FROM network_clients WHERE kind = 'portal' ORDER BY name");
    return rows.map(toClient);
  }

  async find(clientId: string): Promise<NetworkClient | null> {
    const [row] = await this.db.query<ClientRow>('SELECT * FROM network_clients WHERE client_id = $1', [clientId]);
    return row ? toClient(row) : null;
  }

  /** The client when `secret` is its secret; null for unknown clients, wrong secrets and public clients. */
  async authenticate(clientId: string, secret: string): Promise<NetworkClient | null> {
    const [row] = await this.db.query<ClientRow>('SELECT * FROM network_clients WHERE client_id = $1', [clientId]);
    if (!row?.secret_hash) return null;
    return secretsEqual(row.secret_hash, digestSecret(secret)) ? toClient(row) : null;
  }
}

/** `https://Acme.example.com:8443/` → `https://acme.example.com:8443`. */
export function portalOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PortalRegistrationError('INVALID_PORTAL_URL', 'The portal address is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PortalRegistrationError('INVALID_PORTAL_URL', 'The portal address must be http or https');
  }
  return url.origin;
}
