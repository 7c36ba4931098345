import type { Migration } from './migration.ts';

/**
 * Realtime ("push and pull"): the server secret that signs channel ids, the channels handed out
 * by `pull.config.get` (bound to a user and the credential that asked; `application` channels, for OAuth apps, carry
 * only application events), and presence.
 */
export const realtimeChannelsAndPresence: Migration = {
  version: 8,
  name: 'realtime channels and presence',
  sql: `
    CREATE TABLE realtime_secrets (
      name text PRIMARY KEY,
      secret bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE pull_channels (
      id text PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      kind text NOT NULL CHECK (kind IN ('private', 'application', 'shared')),
      user_id integer REFERENCES users(id),
      credential_id text,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      CHECK ((kind = 'shared') = (user_id IS NULL))
    );
    CREATE INDEX pull_channels_owner ON pull_channels (user_id, credential_id, ends_at);
    CREATE INDEX pull_channels_shared ON pull_channels (portal_id, kind, ends_at);
    CREATE INDEX pull_channels_credential ON pull_channels (credential_id);
    CREATE TABLE user_presence (
      user_id integer PRIMARY KEY REFERENCES users(id),
      portal_id integer NOT NULL REFERENCES portals(id),
      last_seen_at timestamptz NOT NULL
    );
    CREATE TABLE user_presence_instances (
      user_id integer NOT NULL REFERENCES users(id),
      instance_id text NOT NULL,
      portal_id integer NOT NULL REFERENCES portals(id),
      connections integer NOT NULL,
      desktop_connections integer NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (user_id, instance_id)
    );
  `,
};
