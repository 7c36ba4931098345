import { randomBytes } from 'node:crypto';
import type { Queryable } from '../storage/database.ts';

/**
 * The secret that signs channel ids and connection tokens. It lives in the database so that
 * every server process of a deployment signs and checks with the same key; the first process
 * to need it creates it.
 */
export async function loadRealtimeSecret(db: Queryable, name = 'pull'): Promise<{ secret: Buffer; createdAt: Date }> {
  await db.query('INSERT INTO realtime_secrets (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32),
  ]);
  const [row] = await db.query<{ secret: Uint8Array; created_at: Date }>(
    'SELECT secret, created_at FROM realtime_secrets WHERE name = $1',
    [name],
  );
  if (!row) throw new Error('realtime secret missing after insert');
  return { secret: Buffer.from(row.secret), createdAt: new Date(row.created_at) };
}
