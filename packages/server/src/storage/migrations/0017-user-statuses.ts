import type { Migration } from './migration.ts';

/**
 * The status each person chose in the messenger (`im.user.status.set`: online, away, do not
 * disturb) and when their automatic "away" began (`im.user.status.idle.start`, null when not
 * idle). A person without a row is `online` and not idle; whether they are connected at all is
 * presence (`user_presence`).
 */
export const userStatuses: Migration = {
  version: 17,
  name: 'user statuses',
  sql: `
    CREATE TABLE user_statuses (
      user_id integer PRIMARY KEY REFERENCES users(id),
      portal_id integer NOT NULL REFERENCES portals(id),
      status text NOT NULL CHECK (status IN ('online', 'away', 'dnd')),
      idle_since timestamptz,
      updated_at timestamptz NOT NULL
    );
  `,
};
