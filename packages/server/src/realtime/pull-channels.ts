import { createHash, createHmac, randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../clock/clock.ts';
import { secretsEqual } from '../secrets/secret-comparison.ts';
import type { Database } from '../storage/database.ts';

/** How long a channel lives, as on Bitrix24. */
export const CHANNEL_LIFETIME_MS = 12 * 60 * 60 * 1000;
/** A channel with less than this left is not handed out again; a fresh one is made. */
const REUSE_MARGIN_MS = 60 * 60 * 1000;

/** `application`: a user's channel issued to an OAuth app; it carries only application events. */
export type ChannelKind = 'private' | 'application' | 'shared';

export interface IssuedChannel {
  /** The database key; public, never enough to connect. */
  key: string;
  kind: ChannelKind;
  portalId: number;
  userId: number | null;
  startsAt: Date;
  endsAt: Date;
}

export interface ChannelPair {
  private: IssuedChannel;
  shared: IssuedChannel;
}

/** Who a connection belongs to, once its channel ids or token have been checked. */
export interface ChannelGrant {
  portalId: number;
  userId: number;
  /** SHA-256 of the credential that asked for the channel; revoking it closes the connection. */
  credentialRef: string;
  privateChannel: IssuedChannel;
  sharedChannel: IssuedChannel | null;
  /** The earliest end of the channels in use. */
  endsAt: Date;
}

export class ChannelRefused extends Error {
  constructor(readonly code: 'WRONG_CHANNEL_ID' | 'CHANNEL_EXPIRED') {
    super(code);
  }
}

interface ChannelRow {
  id: string;
  portal_id: number;
  kind: ChannelKind;
  user_id: number | null;
  credential_id: string | null;
  starts_at: Date;
  ends_at: Date;
}

const toChannel = (r: ChannelRow): IssuedChannel => ({
  key: r.id,
  kind: r.kind,
  portalId: r.portal_id,
  userId: r.user_id,
  startsAt: new Date(r.starts_at),
  endsAt: new Date(r.ends_at),
});

/** A credential is never stored or compared in the clear. */
export const credentialRef = (credentialId: string): string => createHash('sha256').update(credentialId).digest('hex');

const signPurpose = (kind: ChannelKind): 'user' | 'shared' => (kind === 'shared' ? 'shared' : 'user');

/**
 * Issues and checks the channels of "push and pull". A channel id is `<key>.<signature>`: the key
 * names a row bound to the portal, the user and the credential, and the signature (HMAC with the
 * deployment's secret) proves the id was issued here, so a forged id is refused without a
 * database read. Revoking the credential deletes its rows, and the ids stop working at once.
 */
export class PullChannels {
  private readonly jwtKey: Uint8Array;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly secret: Buffer,
  ) {
    this.jwtKey = createHmac('sha256', secret).update('jwt').digest();
  }

  async issue(
    portalId: number,
    userId: number,
    credentialId: string,
    kind: 'private' | 'application' = 'private',
  ): Promise<ChannelPair> {
    const ref = credentialRef(credentialId);
    const now = this.clock.now();
    const reusableUntil = new Date(now.getTime() + REUSE_MARGIN_MS);
    const [mine] = await this.db.query<ChannelRow>(
      `SELECT * FROM pull_channels
       WHERE user_id = $1 AND credential_id = $2 AND portal_id = $3 AND kind = $4 AND ends_at > $5
       ORDER BY ends_at DESC LIMIT 1`,
      [userId, ref, portalId, kind, reusableUntil],
    );
    const [shared] = await this.db.query<ChannelRow>(
      `SELECT * FROM pull_channels WHERE portal_id = $1 AND kind = 'shared' AND ends_at > $2
       ORDER BY ends_at DESC LIMIT 1`,
      [portalId, reusableUntil],
    );
    return {
      private: mine ? toChannel(mine) : await this.create(portalId, kind, userId, ref, now),
      shared: shared ? toChannel(shared) : await this.create(portalId, 'shared', null, null, now),
    };
  }

  private async create(
    portalId: number,
    kind: ChannelKind,
    userId: number | null,
    ref: string | null,
    now: Date,
  ): Promise<IssuedChannel> {
    const [row] = await this.db.query<ChannelRow>(
      `INSERT INTO pull_channels (id, portal_id, kind, user_id, credential_id, starts_at, ends_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [
        randomBytes(16).toString('hex'),
        portalId,
        kind,
        userId,
        ref,
        now,
        new Date(now.getTime() + CHANNEL_LIFETIME_MS),
      ],
    );
    if (!row) throw new Error('channel insert returned nothing');
    return toChannel(row);
  }

  /** The id a client connects with. */
  channelId(channel: IssuedChannel): string {
    return `${channel.key}.${this.sign(signPurpose(channel.kind), channel.key)}`;
  }

  /** The signature of the user's public channel (others may publish to it, never read it). */
  publicSignature(channel: IssuedChannel): string {
    return this.sign('public', channel.key);
  }

  async token(pair: ChannelPair): Promise<string> {
    const endsAt = Math.min(pair.private.endsAt.getTime(), pair.shared.endsAt.getTime());
    return new SignJWT({ chn: [pair.private.key, pair.shared.key] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(pair.private.userId))
      .setIssuedAt(Math.floor(this.clock.now().getTime() / 1000))
      .setExpirationTime(Math.floor(endsAt / 1000))
      .sign(this.jwtKey);
  }

  /** Checks `CHANNEL_ID=<private>/<shared>` (the shared part is optional). */
  async grantForChannelIds(portalId: number, channelIds: string): Promise<ChannelGrant> {
    const [privateId, sharedId, ...rest] = channelIds.split('/');
    if (!privateId || rest.length > 0) throw new ChannelRefused('WRONG_CHANNEL_ID');
    const privateKey = this.verifiedKey('user', privateId);
    const sharedKey = sharedId ? this.verifiedKey('shared', sharedId) : null;
    return this.grant(portalId, privateKey, sharedKey);
  }

  /** Checks `token=<jwt>` from `pull.config.get`'s `jwt`. */
  async grantForToken(portalId: number, token: string): Promise<ChannelGrant> {
    let keys: unknown;
    try {
      const { payload } = await jwtVerify(token, this.jwtKey, {
        algorithms: ['HS256'],
        currentDate: this.clock.now(),
      });
      keys = payload.chn;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new ChannelRefused('CHANNEL_EXPIRED');
      throw new ChannelRefused('WRONG_CHANNEL_ID');
    }
    if (!Array.isArray(keys) || typeof keys[0] !== 'string') throw new ChannelRefused('WRONG_CHANNEL_ID');
    return this.grant(portalId, keys[0], typeof keys[1] === 'string' ? keys[1] : null);
  }

  private async grant(portalId: number, privateKey: string, sharedKey: string | null): Promise<ChannelGrant> {
    const rows = await this.db.query<ChannelRow>('SELECT * FROM pull_channels WHERE id = ANY($1::text[])', [
      sharedKey ? [privateKey, sharedKey] : [privateKey],
    ]);
    const privateRow = rows.find((r) => r.id === privateKey && r.kind !== 'shared');
    const sharedRow = sharedKey ? rows.find((r) => r.id === sharedKey && r.kind === 'shared') : undefined;
    if (!privateRow || privateRow.portal_id !== portalId || privateRow.user_id === null || !privateRow.credential_id) {
      throw new ChannelRefused('WRONG_CHANNEL_ID');
    }
    if (sharedKey && (!sharedRow || sharedRow.portal_id !== portalId)) throw new ChannelRefused('WRONG_CHANNEL_ID');
    const privateChannel = toChannel(privateRow);
    const sharedChannel = sharedRow ? toChannel(sharedRow) : null;
    const endsAt = new Date(Math.min(privateChannel.endsAt.getTime(), sharedChannel?.endsAt.getTime() ?? Infinity));
    if (endsAt <= this.clock.now()) throw new ChannelRefused('CHANNEL_EXPIRED');
    return {
      portalId,
      userId: privateRow.user_id,
      credentialRef: privateRow.credential_id,
      privateChannel,
      sharedChannel,
      endsAt,
    };
  }

  /** Deletes every channel issued to the credential; its ids stop working. */
  async revokeCredential(credentialId: string): Promise<void> {
    await this.db.query('DELETE FROM pull_channels WHERE credential_id = $1', [credentialRef(credentialId)]);
  }

  /** Forgets channels that ended; run now and then. */
  async pruneEnded(): Promise<number> {
    const rows = await this.db.query('DELETE FROM pull_channels WHERE ends_at < $1 RETURNING 1', [this.clock.now()]);
    return rows.length;
  }

  private verifiedKey(purpose: 'user' | 'shared', channelId: string): string {
    const dot = channelId.lastIndexOf('.');
    const key = channelId.slice(0, dot);
    if (dot <= 0 || !secretsEqual(channelId.slice(dot + 1), this.sign(purpose, key))) {
      throw new ChannelRefused('WRONG_CHANNEL_ID');
    }
    return key;
  }

  private sign(purpose: string, key: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}:${key}`).digest('hex').slice(0, 40);
  }
}
