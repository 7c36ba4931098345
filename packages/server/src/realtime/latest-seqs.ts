import type { Queryable } from '../storage/database.ts';

/** Each user's last event number (users without events are left out), in one query. */
export async function latestSeqs(
  db: Queryable,
  userIds: readonly number[],
): Promise<{ userId: number; seq: number }[]> {
  const rows = await db.query<{ user_id: number; last_seq: number }>(
    'SELECT user_id, last_seq FROM user_event_sequences WHERE user_id = ANY($1::int[])',
    [userIds],
  );
  return rows.map((r) => ({ userId: r.user_id, seq: Number(r.last_seq) }));
}
