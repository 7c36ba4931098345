import { z } from 'zod';
import type { Queryable } from '../storage/database.ts';

/** A user id a client may name: what the users table can hold (a 32-bit integer), or a refusal. */
export const UserIdParam = z.coerce.number().int().positive().max(2_147_483_647);

/**
 * Which of `userIds` are active users of the portal: the only users a client's realtime call
 * may reach or watch. Ids of another portal are left out like ids that do not exist.
 */
export async function activePortalUsers(
  db: Queryable,
  portalId: number,
  userIds: readonly number[],
): Promise<Set<number>> {
  const rows = await db.query<{ id: number }>(
    'SELECT id FROM users WHERE portal_id = $1 AND id = ANY($2::int[]) AND active',
    [portalId, [...new Set(userIds)]],
  );
  return new Set(rows.map((r) => r.id));
}
