import { createHash, randomBytes } from 'node:crypto';
import { SESSION_COOKIE } from '@portaldesk/protocol';
import type { Clock } from '../../clock/clock.ts';
import type { Portal } from '../../portals/portal.ts';
import { randomToken } from '../../secrets/random-secret.ts';
import { secretsEqual } from '../../secrets/secret-comparison.ts';
import { digestSecret } from '../../secrets/secret-digest.ts';
import type { SessionRevocations } from './session-revocations.ts';
import type { SessionStore, StoredSession } from './session-store.ts';

/** A session checked against storage: live, unexpired, its user active. */
export interface ValidSession {
  id: string;
  portalId: number;
  userId: number;
  appPasswordId: number | null;
  /** The session's CSRF token (`sessid`, Bitrix24's `bitrixSessionId`). */
  sessid: string;
  expiresAt: Date;
}

export interface OpenedSession extends ValidSession {
  /** The cookie value; shown once, stored only as a hash. */
  token: string;
}

export interface SessionSettings {
  /** How long a session lives after sign-in. */
  lifetimeMs: number;
  /**
   * How long a validated session is trusted without asking storage again. Revocations in this
   * process (and, through the realtime layer, in others) drop it at once; the TTL only bounds
   * how late a change nobody announced (say, a user deactivated by another process) is seen.
   */
  cacheTtlMs: number;
  /** Most sessions cached at once. */
  cacheLimit: number;
  /** `last_seen_at` is written at most this often per session. */
  touchIntervalMs: number;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  lifetimeMs: 30 * 24 * 3600_000,
  cacheTtlMs: 5_000,
  cacheLimit: 100_000,
  touchIntervalMs: 60_000,
};

interface CachedSession {
  session: ValidSession;
  cachedAt: number;
}

/**
 * Opens, validates and ends sessions. The cookie token is a 256-bit random value; only its
 * SHA-256 is stored. The `sessid` is derived from the token, so it needs no storage and the
 * server can always tell it to a page of the same session, while a page of another site, which
 * cannot read the HttpOnly cookie, cannot compute it.
 */
export class SessionService {
  private readonly cache = new Map<string, CachedSession>();
  private readonly cacheKeyById = new Map<string, string>();
  /** Bumped by every revocation, so that a lookup racing one does not cache what it read. */
  private revocationEpoch = 0;

  constructor(
    private readonly store: SessionStore,
    private readonly clock: Clock,
    private readonly revocations: SessionRevocations,
    private readonly settings: SessionSettings = DEFAULT_SESSION_SETTINGS,
  ) {
    revocations.subscribe(({ sessionId }) => {
      this.revocationEpoch++;
      const key = this.cacheKeyById.get(sessionId);
      if (key !== undefined) this.cache.delete(key);
      this.cacheKeyById.delete(sessionId);
    });
  }

  async open(input: {
    portalId: number;
    userId: number;
    appPasswordId: number | null;
    ip: string | null;
    userAgent: string | null;
  }): Promise<OpenedSession> {
    const token = randomToken();
    const now = this.clock.now();
    const id = randomBytes(12).toString('hex');
    const expiresAt = new Date(now.getTime() + this.settings.lifetimeMs);
    await this.store.insert({ ...input, id, tokenHash: digestSecret(token), createdAt: now, expiresAt });
    return {
      id,
      portalId: input.portalId,
      userId: input.userId,
      appPasswordId: input.appPasswordId,
      sessid: sessidOf(token),
      expiresAt,
      token,
    };
  }

  /** The live session behind a cookie token on this portal, or null. The hot path of every session call. */
  async validate(portalId: number, token: string): Promise<ValidSession | null> {
    if (token.length === 0 || token.length > 128) return null;
    const key = digestSecret(token);
    const now = this.clock.now();
    const cached = this.cache.get(key);
    if (cached && now.getTime() - cached.cachedAt < this.settings.cacheTtlMs) {
      const { session } = cached;
      if (session.portalId !== portalId || session.expiresAt <= now) return null;
      return session;
    }
    const epoch = this.revocationEpoch;
    const stored = await this.store.findLive(portalId, key, now);
    if (!stored) {
      this.forget(key, cached?.session.id);
      return null;
    }
    const session = toValid(stored, token);
    if (epoch === this.revocationEpoch) this.remember(key, session, now.getTime());
    if (now.getTime() - stored.lastSeenAt.getTime() >= this.settings.touchIntervalMs) {
      await this.store.touch(portalId, stored.id, now);
    }
    return session;
  }

  /** The signed-in user of a request (for pages such as OAuth's authorize), or null. */
  async fromRequest(request: {
    portal: Portal | null;
    cookies: Record<string, string | undefined>;
  }): Promise<ValidSession | null> {
    const token = request.cookies[SESSION_COOKIE];
    if (!request.portal || !token) return null;
    return this.validate(request.portal.id, token);
  }

  /** True when `given` is this session's `sessid`. */
  static sessidMatches(session: ValidSession, given: string | undefined): boolean {
    return given !== undefined && secretsEqual(given, session.sessid);
  }

  /** A session by its id while it is live (not revoked, not expired, its user active), or null. */
  liveById(portalId: number, sessionId: string): Promise<StoredSession | null> {
    return this.store.findLiveById(portalId, sessionId, this.clock.now());
  }

  list(portalId: number, userId: number): Promise<StoredSession[]> {
    return this.store.listLive(portalId, userId, this.clock.now());
  }

  async revoke(portalId: number, userId: number, sessionId: string): Promise<boolean> {
    const revoked = await this.store.revoke(portalId, userId, sessionId, this.clock.now());
    if (revoked) await this.revocations.publish({ portalId, userId, sessionId });
    return revoked;
  }

  /**
   * Signs the user out everywhere (deactivation, admin action), or everywhere but `keepId`, the
   * session that asked (password change, "sign out everywhere else").
   */
  async revokeAllOfUser(portalId: number, userId: number, keepId: string | null = null): Promise<number> {
    const ids = await this.store.revokeAllOfUser(portalId, userId, this.clock.now(), keepId);
    await Promise.all(ids.map((sessionId) => this.revocations.publish({ portalId, userId, sessionId })));
    return ids.length;
  }

  async revokeOpenedWith(portalId: number, userId: number, appPasswordId: number): Promise<number> {
    const ids = await this.store.revokeOpenedWith(portalId, appPasswordId, this.clock.now());
    await Promise.all(ids.map((sessionId) => this.revocations.publish({ portalId, userId, sessionId })));
    return ids.length;
  }

  private remember(key: string, session: ValidSession, at: number): void {
    if (this.cache.size >= this.settings.cacheLimit) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.forget(oldest, this.cache.get(oldest)?.session.id);
    }
    this.cache.delete(key);
    this.cache.set(key, { session, cachedAt: at });
    this.cacheKeyById.set(session.id, key);
  }

  private forget(key: string, sessionId: string | undefined): void {
    this.cache.delete(key);
    if (sessionId !== undefined) this.cacheKeyById.delete(sessionId);
  }
}

/**
 * Bitrix24's `sessid` is 32 hex digits; ours is a one-way function of the session token. Not a
 * stored digest (nothing keeps it) but a derivation in Bitrix24's shape, hence hex.
 */
export function sessidOf(token: string): string {
  return createHash('sha256').update(`portaldesk-sessid\u0000${token}`).digest('hex').slice(0, 32);
}

function toValid(stored: StoredSession, token: string): ValidSession {
  return {
    id: stored.id,
    portalId: stored.portalId,
    userId: stored.userId,
    appPasswordId: stored.appPasswordId,
    sessid: sessidOf(token),
    expiresAt: stored.expiresAt,
  };
}
