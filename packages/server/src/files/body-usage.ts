import type { Database, Queryable } from '../storage/database.ts';
import type { BlobStore } from './blob-store.ts';

/** Serialises work on the same bodies across processes (stores against removals). */
export async function lockBodies(tx: Queryable, digests: readonly (string | null | undefined)[]): Promise<void> {
  for (const sha256 of [...new Set(digests.filter((d): d is string => Boolean(d)))].sort()) {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 17))', [sha256]);
  }
}

/**
 * Removes from the store the bodies nothing uses any more, checked under each body's lock: not a
 * chat file, its preview, a person's photo or a chat's picture (the same bytes are stored once,
 * whoever sent them).
 */
export async function removeUnusedBodies(
  db: Database,
  blobs: BlobStore,
  digests: readonly (string | null)[],
): Promise<void> {
  for (const sha256 of new Set(digests.filter((d): d is string => d !== null))) {
    await db.transaction(async (tx) => {
      await lockBodies(tx, [sha256]);
      const [used] = await tx.query(
        `SELECT 1 WHERE EXISTS (SELECT 1 FROM disk_files
                                WHERE (content_sha256 = $1 OR preview_sha256 = $1) AND deleted_at IS NULL)
                     OR EXISTS (SELECT 1 FROM users WHERE photo_sha256 = $1)
                     OR EXISTS (SELECT 1 FROM im_chats WHERE avatar_sha256 = $1)`,
        [sha256],
      );
      if (!used) await blobs.delete(sha256);
    });
  }
}
