import type { Migration } from './migration.ts';

/**
 * People's photos and group chats' pictures: the digest of the re-encoded picture in the blob
 * store and the random key its address carries (a new key with every new picture, so the address
 * cannot be guessed from the person or chat, and an old address stops working once replaced).
 */
export const photos: Migration = {
  version: 14,
  name: 'photos',
  sql: `
    ALTER TABLE users ADD COLUMN photo_sha256 text, ADD COLUMN photo_key text;
    ALTER TABLE im_chats ADD COLUMN avatar_sha256 text, ADD COLUMN avatar_key text;
  `,
};
