import type { Migration } from './migration.ts';

/**
 * The per-user event log behind realtime resume: every event a user can receive gets the next
 * number of that user's own sequence, written in the transaction that made the change.
 */
export const userEvents: Migration = {
  version: 4,
  name: 'user events',
  sql: `
    CREATE TABLE user_event_sequences (
      user_id integer PRIMARY KEY REFERENCES users(id),
      last_seq bigint NOT NULL
    );
    CREATE TABLE user_events (
      user_id integer NOT NULL REFERENCES users(id),
      seq bigint NOT NULL,
      portal_id integer NOT NULL REFERENCES portals(id),
      module_id text NOT NULL,
      command text NOT NULL,
      params jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, seq)
    );
    CREATE INDEX user_events_created_at ON user_events (created_at);
  `,
};
