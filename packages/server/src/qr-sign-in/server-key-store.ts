import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock/clock.ts';
import type { Queryable } from '../storage/database.ts';

/**
 * Keys that every server process must share (several processes behind one load balancer verify
 * each other's signatures), made on first use and kept in the database.
 */
export class ServerKeyStore {
  private readonly loaded = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  /** The 256-bit key for `purpose`; the first process to ask makes it, the others read it. */
  key(purpose: string): Promise<Buffer> {
    let key = this.loaded.get(purpose);
    if (!key) {
      key = this.load(purpose);
      key.catch(() => this.loaded.delete(purpose));
      this.loaded.set(purpose, key);
    }
    return key;
  }

  private async load(purpose: string): Promise<Buffer> {
    await this.db.query(
      'INSERT INTO server_keys (purpose, secret, created_at) VALUES ($1, $2, $3) ON CONFLICT (purpose) DO NOTHING',
      [purpose, randomBytes(32).toString('base64url'), this.clock.now()],
    );
    const [row] = await this.db.query<{ secret: string }>('SELECT secret FROM server_keys WHERE purpose = $1', [
      purpose,
    ]);
    if (!row) throw new Error(`server key ${purpose} is missing`);
    return Buffer.from(row.secret, 'base64url');
  }
}
