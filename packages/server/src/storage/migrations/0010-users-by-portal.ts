import type { Migration } from './migration.ts';

/**
 * A portal's users in id order (user.get's pages, its total). Without it, the plan each page ran
 * read every user of every portal.
 */
export const usersByPortal: Migration = {
  version: 10,
  name: 'users by portal',
  sql: `
    CREATE INDEX users_portal_id ON users (portal_id, id);
  `,
};
