import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock/clock.ts';
import { pkceVerifierMatches } from '../secrets/pkce.ts';
import { randomTypeableSecret } from '../secrets/random-secret.ts';
import { digestSecret } from '../secrets/secret-digest.ts';
import type { Database, Queryable } from '../storage/database.ts';
import type { OAuthApp } from './oauth-app-store.ts';
import { OAuthError } from './oauth-error.ts';

/** Lifetimes as Bitrix24 documents them. */
export const OAUTH_LIFETIMES = {
  codeMs: 30_000,
  accessTokenMs: 3_600_000,
  refreshTokenMs: 180 * 24 * 3_600_000,
} as const;

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: Date;
  userId: number;
  scopes: string[];
}

/** What an access token stands for, as the REST authenticator needs it. */
export interface AccessGrant {
  familyId: string;
  appId: number;
  userId: number;
  scopes: string[];
  expired: boolean;
}

export interface CodeRequest {
  portalId: number;
  app: OAuthApp;
  userId: number;
  scopes: readonly string[];
  /** As given in the authorization request, when it named one. */
  redirectUri: string | null;
  codeChallenge: string | null;
}

export interface CodeExchange {
  portalId: number;
  app: OAuthApp;
  code: string;
  redirectUri: string | undefined;
  codeVerifier: string | undefined;
}

/** Refused, with something to commit first (a revocation) — so it is returned, not thrown. */
type Refusal = { ok: false; error: OAuthError; revokedFamilyId?: string };
type Outcome<T> = { ok: true; value: T } | Refusal;

/** `credentialId` is how REST auth and realtime channels name the family: `oauth:<familyId>`. */
export type FamilyRevokedListener = (family: { familyId: string; credentialId: string }) => void;

interface CodeRow {
  app_id: number;
  user_id: number;
  scopes: string[];
  redirect_uri: string | null;
  code_challenge: string | null;
  expires_at: Date;
  family_id: string | null;
}

interface RefreshRow {
  family_id: string;
  expires_at: Date;
  used_at: Date | null;
  app_id: number;
  user_id: number;
  scopes: string[];
  revoked_at: Date | null;
}

/**
 * Authorization codes, and token families: one per authorization, holding its rotating refresh
 * tokens and their access tokens. A code or refresh token used twice means one of the copies is
 * stolen, so the whole family is revoked (RFC 6749 §4.1.2, OAuth 2.0 Security BCP §4.14).
 */
export class OAuthGrantStore {
  private readonly revokedListeners: FamilyRevokedListener[] = [];

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Hears of every family revoked here, once the revocation is committed (to close its sockets). */
  onFamilyRevoked(listener: FamilyRevokedListener): void {
    this.revokedListeners.push(listener);
  }

  async issueCode(request: CodeRequest): Promise<string> {
    const code = randomTypeableSecret(32);
    // Spent and expired codes are kept a day, long enough to catch a replay, then dropped.
    await this.db.query('DELETE FROM oauth_authorization_codes WHERE portal_id = $1 AND expires_at < $2', [
      request.portalId,
      new Date(this.clock.now().getTime() - 86_400_000),
    ]);
    await this.db.query(
      `INSERT INTO oauth_authorization_codes
         (code_hash, portal_id, app_id, user_id, scopes, redirect_uri, code_challenge, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        digestSecret(code),
        request.portalId,
        request.app.id,
        request.userId,
        [...request.scopes],
        request.redirectUri,
        request.codeChallenge,
        new Date(this.clock.now().getTime() + OAUTH_LIFETIMES.codeMs),
      ],
    );
    return code;
  }

  async exchangeCode(exchange: CodeExchange): Promise<IssuedTokens> {
    const outcome = await this.db.transaction(async (tx): Promise<Outcome<IssuedTokens>> => {
      const codeHash = digestSecret(exchange.code);
      const [row] = await tx.query<CodeRow>(
        `SELECT app_id, user_id, scopes, redirect_uri, code_challenge, expires_at, family_id
           FROM oauth_authorization_codes WHERE code_hash = $1 AND portal_id = $2 FOR UPDATE`,
        [codeHash, exchange.portalId],
      );
      const refuse = (why: string): Refusal => ({
        ok: false,
        error: new OAuthError('invalid_grant', why),
      });
      if (!row || row.app_id !== exchange.app.id) return refuse('The authorization code is not valid');
      if (row.family_id !== null) {
        await this.revokeFamily(tx, row.family_id);
        return {
          ...refuse('The authorization code was already used; the tokens issued for it are revoked'),
          revokedFamilyId: row.family_id,
        };
      }
      const now = this.clock.now();
      if (new Date(row.expires_at) <= now) return refuse('The authorization code has expired');
      const spend = () =>
        tx.query('UPDATE oauth_authorization_codes SET expires_at = $2 WHERE code_hash = $1', [codeHash, now]);
      const expectedRedirect = row.redirect_uri ?? exchange.app.redirectUris[0];
      if (exchange.redirectUri !== undefined && exchange.redirectUri !== expectedRedirect) {
        await spend();
        return refuse('redirect_uri does not match the authorization request');
      }
      if (row.redirect_uri !== null && exchange.redirectUri === undefined) {
        await spend();
        return refuse('redirect_uri is required: the authorization request named one');
      }
      const pkceOk =
        row.code_challenge === null
          ? exchange.codeVerifier === undefined
          : pkceVerifierMatches(exchange.codeVerifier, row.code_challenge);
      if (!pkceOk) {
        // One guess per code: a wrong verifier spends it.
        await spend();
        return refuse('code_verifier does not match the code challenge');
      }
      if (!(await userIsActive(tx, exchange.portalId, row.user_id))) {
        await spend();
        return refuse('The user is no longer active');
      }
      const familyId = randomUUID();
      await tx.query(
        'INSERT INTO oauth_token_families (id, portal_id, app_id, user_id, scopes) VALUES ($1, $2, $3, $4, $5)',
        [familyId, exchange.portalId, row.app_id, row.user_id, row.scopes],
      );
      await tx.query('UPDATE oauth_authorization_codes SET family_id = $2 WHERE code_hash = $1', [codeHash, familyId]);
      const tokens = await this.issueTokens(tx, exchange.portalId, familyId);
      return { ok: true, value: { ...tokens, userId: row.user_id, scopes: row.scopes } };
    });
    return this.settle(outcome);
  }

  async refresh(portalId: number, app: OAuthApp, refreshToken: string): Promise<IssuedTokens> {
    const outcome = await this.db.transaction(async (tx): Promise<Outcome<IssuedTokens>> => {
      const tokenHash = digestSecret(refreshToken);
      const [row] = await tx.query<RefreshRow>(
        `SELECT t.family_id, t.expires_at, t.used_at, f.app_id, f.user_id, f.scopes, f.revoked_at
           FROM oauth_tokens t JOIN oauth_token_families f ON f.id = t.family_id
          WHERE t.token_hash = $1 AND t.portal_id = $2 AND t.kind = 'refresh' FOR UPDATE OF t`,
        [tokenHash, portalId],
      );
      const refuse = (why: string): Refusal => ({
        ok: false,
        error: new OAuthError('invalid_grant', why),
      });
      if (!row || row.app_id !== app.id || row.revoked_at !== null) return refuse('The refresh token is not valid');
      if (row.used_at !== null) {
        await this.revokeFamily(tx, row.family_id);
        return {
          ...refuse('The refresh token was already used; every token of this authorization is revoked'),
          revokedFamilyId: row.family_id,
        };
      }
      const now = this.clock.now();
      if (new Date(row.expires_at) <= now) return refuse('The refresh token has expired');
      if (!(await userIsActive(tx, portalId, row.user_id))) return refuse('The user is no longer active');
      await tx.query('UPDATE oauth_tokens SET used_at = $2 WHERE token_hash = $1', [tokenHash, now]);
      const tokens = await this.issueTokens(tx, portalId, row.family_id);
      return { ok: true, value: { ...tokens, userId: row.user_id, scopes: row.scopes } };
    });
    return this.settle(outcome);
  }

  /** The grant behind an access token of this portal; null when there is none or it is revoked. */
  async findAccessGrant(portalId: number, accessToken: string): Promise<AccessGrant | null> {
    const [row] = await this.db.query<{
      family_id: string;
      expires_at: Date;
      app_id: number;
      user_id: number;
      scopes: string[];
    }>(
      `SELECT t.family_id, t.expires_at, f.app_id, f.user_id, f.scopes
         FROM oauth_tokens t JOIN oauth_token_families f ON f.id = t.family_id
        WHERE t.token_hash = $1 AND t.portal_id = $2 AND t.kind = 'access' AND f.revoked_at IS NULL`,
      [digestSecret(accessToken), portalId],
    );
    if (!row) return null;
    return {
      familyId: row.family_id,
      appId: row.app_id,
      userId: row.user_id,
      scopes: row.scopes,
      expired: new Date(row.expires_at) <= this.clock.now(),
    };
  }

  /** Tells the listeners of families that ended elsewhere (their app was deleted), once committed. */
  announceRevoked(familyIds: readonly string[]): void {
    for (const familyId of familyIds) {
      for (const listener of this.revokedListeners) listener({ familyId, credentialId: oauthCredentialId(familyId) });
    }
  }

  /** The value, or the refusal thrown once listeners have heard of a committed revocation. */
  private settle<T>(outcome: Outcome<T>): T {
    if (outcome.ok) return outcome.value;
    if (outcome.revokedFamilyId !== undefined) this.announceRevoked([outcome.revokedFamilyId]);
    throw outcome.error;
  }

  private async issueTokens(tx: Queryable, portalId: number, familyId: string) {
    const now = this.clock.now().getTime();
    const accessToken = randomTypeableSecret(32);
    const refreshToken = randomTypeableSecret(32);
    const accessExpiresAt = new Date(now + OAUTH_LIFETIMES.accessTokenMs);
    await tx.query(
      `INSERT INTO oauth_tokens (token_hash, kind, family_id, portal_id, expires_at)
       VALUES ($1, 'access', $3, $4, $5), ($2, 'refresh', $3, $4, $6)`,
      [
        digestSecret(accessToken),
        digestSecret(refreshToken),
        familyId,
        portalId,
        accessExpiresAt,
        new Date(now + OAUTH_LIFETIMES.refreshTokenMs),
      ],
    );
    return { accessToken, refreshToken, accessExpiresAt };
  }

  private async revokeFamily(tx: Queryable, familyId: string): Promise<void> {
    await tx.query('UPDATE oauth_token_families SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [
      familyId,
      this.clock.now(),
    ]);
  }
}

/** The credential id of a token family, as REST auth contexts and realtime channels carry it. */
export function oauthCredentialId(familyId: string): string {
  return `oauth:${familyId}`;
}

/** Read inside the token transaction, so a user deactivated meanwhile gets no token. */
async function userIsActive(tx: Queryable, portalId: number, userId: number): Promise<boolean> {
  const [row] = await tx.query<{ active: boolean }>('SELECT active FROM users WHERE portal_id = $1 AND id = $2', [
    portalId,
    userId,
  ]);
  return row?.active === true;
}
