import type { Migration } from './migration.ts';

/**
 * One copy of what an event says to everyone: a message to a chat of N members was stored as N
 * full copies (author, chat, member list and text each time), which made writing the event log
 * most of the cost of a send. Now the common part is stored once and each member's row keeps only
 * what differs for them (their counter, their dialog id); reading merges the two.
 *
 * No foreign key from `user_events.payload_id`: both rows are written by one statement with the
 * same `created_at` and pruned by the same cutoff, and a key would cost a lookup per recipient on
 * every send and an index on `user_events` for pruning.
 */
export const sharedEventPayloads: Migration = {
  version: 9,
  name: 'shared event payloads',
  sql: `
    CREATE TABLE user_event_payloads (
      id bigserial PRIMARY KEY,
      params jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX user_event_payloads_created_at ON user_event_payloads (created_at);
    ALTER TABLE user_events ADD COLUMN payload_id bigint;
  `,
};
