import { randomBytes } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import type { Queryable } from '../../storage/database.ts';

const ALG = 'ES256';

interface ActiveKey {
  kid: string;
  privateKey: CryptoKey;
}

/**
 * The Network's token signing keys (ES256), generated on first use and kept in the database so
 * that every instance signs with the same key and tokens survive restarts. Portals fetch the
 * public halves from `/.well-known/jwks.json`. Retiring a key (setting `retired_at`) removes it
 * from the set; a new one is generated when none is active.
 */
export class SigningKeys {
  private active: Promise<ActiveKey> | undefined;

  constructor(private readonly db: Queryable) {}

  async publicKeys(): Promise<{ keys: JWK[] }> {
    await this.current();
    const rows = await this.db.query<{ public_jwk: JWK }>(
      'SELECT public_jwk FROM network_signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC',
    );
    return { keys: rows.map((r) => r.public_jwk) };
  }

  async sign(
    claims: JWTPayload,
    options: { type: string; issuer: string; audience: string; subject: string; expiresInSeconds: number; now: Date },
  ): Promise<string> {
    const key = await this.current();
    const issuedAt = Math.floor(options.now.getTime() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: key.kid, typ: options.type })
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setSubject(options.subject)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + options.expiresInSeconds)
      .setJti(randomBytes(16).toString('base64url'))
      .sign(key.privateKey);
  }

  private current(): Promise<ActiveKey> {
    this.active ??= this.loadOrCreate().catch((error: unknown) => {
      this.active = undefined;
      throw error;
    });
    return this.active;
  }

  private async loadOrCreate(): Promise<ActiveKey> {
    const [row] = await this.db.query<{ kid: string; private_jwk: JWK }>(
      'SELECT kid, private_jwk FROM network_signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1',
    );
    if (row) return { kid: row.kid, privateKey: (await importJWK(row.private_jwk, ALG)) as CryptoKey };
    const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
    const kid = randomBytes(8).toString('hex');
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
    // Two instances starting at once may both generate a key; both are then published and valid.
    await this.db.query(
      'INSERT INTO network_signing_keys (kid, alg, private_jwk, public_jwk) VALUES ($1, $2, $3, $4)',
      [kid, ALG, JSON.stringify(await exportJWK(privateKey)), JSON.stringify(publicJwk)],
    );
    return { kid, privateKey };
  }
}
