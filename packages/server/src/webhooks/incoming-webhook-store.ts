import { WEBHOOK_SCOPE_PATTERN } from '@portaldesk/protocol';
import { randomTypeableSecret } from '../secrets/random-secret.ts';
import { digestSecret } from '../secrets/secret-digest.ts';
import type { Queryable } from '../storage/database.ts';

export interface IncomingWebhook {
  id: number;
  portalId: number;
  userId: number;
  scopes: string[];
  title: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

interface WebhookRow {
  id: number;
  portal_id: number;
  user_id: number;
  scopes: string[];
  title: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
}

const COLUMNS = 'id, portal_id, user_id, scopes, title, expires_at, revoked_at, created_at';

const toWebhook = (r: WebhookRow): IncomingWebhook => ({
  id: r.id,
  portalId: r.portal_id,
  userId: r.user_id,
  scopes: r.scopes,
  title: r.title,
  expiresAt: r.expires_at ? new Date(r.expires_at) : null,
  revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
  createdAt: new Date(r.created_at),
});

export interface NewIncomingWebhook {
  portalId: number;
  userId: number;
  /** e.g. `['user', 'im']`; `basic` methods are always allowed. */
  scopes: readonly string[];
  title?: string;
  expiresAt?: Date | null;
}

export interface CreatedIncomingWebhook {
  webhook: IncomingWebhook;
  /** Shown once, to the person who created it; only its digest is stored. */
  secret: string;
  /** `/rest/<userId>/<secret>/`: append the method name, prefix the portal's address. */
  path: string;
}

export const SCOPE_NAME = WEBHOOK_SCOPE_PATTERN;

/** How REST auth and realtime channels name a webhook. */
export const webhookCredentialId = (webhookId: number): string => `webhook:${webhookId}`;

/** Told after a webhook is revoked, with the credential id its realtime channels were issued to. */
export type WebhookRevokedListener = (revoked: { webhookId: number; credentialId: string }) => void;

export class InvalidWebhookError extends Error {
  readonly code = 'INVALID_WEBHOOK';
}

/** Incoming webhooks (`/rest/<userId>/<secret>/<method>`), scoped by portal in every query. */
export class IncomingWebhookStore {
  private readonly revokedListeners: WebhookRevokedListener[] = [];

  constructor(private readonly db: Queryable) {}

  onRevoked(listener: WebhookRevokedListener): void {
    this.revokedListeners.push(listener);
  }

  async create(input: NewIncomingWebhook): Promise<CreatedIncomingWebhook> {
    const scopes = [...new Set(input.scopes.map((s) => s.trim().toLowerCase()))];
    const bad = scopes.find((s) => !SCOPE_NAME.test(s));
    if (bad !== undefined) throw new InvalidWebhookError(`Not a scope name: ${JSON.stringify(bad)}`);
    const owner = await this.db.query('SELECT 1 FROM users WHERE portal_id = $1 AND id = $2', [
      input.portalId,
      input.userId,
    ]);
    if (owner.length === 0) throw new InvalidWebhookError('No such user on this portal');
    const secret = randomTypeableSecret(32);
    const [row] = await this.db.query<WebhookRow>(
      `INSERT INTO incoming_webhooks (portal_id, user_id, secret_hash, scopes, title, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [input.portalId, input.userId, digestSecret(secret), scopes, input.title ?? '', input.expiresAt ?? null],
    );
    return { webhook: toWebhook(row as WebhookRow), secret, path: `/rest/${input.userId}/${secret}/` };
  }

  /** The webhook with this secret on this portal, whatever its state; the caller judges it. */
  async findBySecret(portalId: number, secret: string): Promise<IncomingWebhook | null> {
    const [row] = await this.db.query<WebhookRow>(
      `SELECT ${COLUMNS} FROM incoming_webhooks WHERE portal_id = $1 AND secret_hash = $2`,
      [portalId, digestSecret(secret)],
    );
    return row ? toWebhook(row) : null;
  }

  async listForUser(portalId: number, userId: number): Promise<IncomingWebhook[]> {
    const rows = await this.db.query<WebhookRow>(
      `SELECT ${COLUMNS} FROM incoming_webhooks WHERE portal_id = $1 AND user_id = $2 ORDER BY id`,
      [portalId, userId],
    );
    return rows.map(toWebhook);
  }

  /** The portal's webhooks that still work or may work again (not revoked), oldest first. */
  async listUnrevoked(portalId: number): Promise<IncomingWebhook[]> {
    const rows = await this.db.query<WebhookRow>(
      `SELECT ${COLUMNS} FROM incoming_webhooks WHERE portal_id = $1 AND revoked_at IS NULL ORDER BY id`,
      [portalId],
    );
    return rows.map(toWebhook);
  }

  async revoke(portalId: number, id: number, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      'UPDATE incoming_webhooks SET revoked_at = $3 WHERE portal_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING id',
      [portalId, id, at],
    );
    if (rows.length === 0) return false;
    for (const listener of this.revokedListeners) listener({ webhookId: id, credentialId: webhookCredentialId(id) });
    return true;
  }
}

/** For the admin command: creates a webhook and returns its one-time secret. */
export function createIncomingWebhook(db: Queryable, input: NewIncomingWebhook): Promise<CreatedIncomingWebhook> {
  return new IncomingWebhookStore(db).create(input);
}
