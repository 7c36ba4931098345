import type { Migration } from './migration.ts';

/**
 * The messenger: chats (one-to-one dialogs, group chats, each user's notification chat), their
 * members with read positions and unread counters, messages with their edit history, and
 * notifications. Every table carries `portal_id` so that every query can be scoped by portal.
 *
 * Counters are kept incrementally (`unread_count`), so that sending a message never counts rows.
 */
export const messenger: Migration = {
  version: 5,
  name: 'messenger',
  sql: `
    CREATE TABLE im_chats (
      id serial PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      -- P: one-to-one dialog, C: closed group chat, O: open group chat, N: a user's notifications
      type char(1) NOT NULL CHECK (type IN ('P', 'C', 'O', 'N')),
      title text NOT NULL DEFAULT '',
      description text NOT NULL DEFAULT '',
      color text NOT NULL DEFAULT '',
      owner_id integer REFERENCES users(id),
      entity_type text NOT NULL DEFAULT '',
      entity_id text NOT NULL DEFAULT '',
      last_message_id bigint NOT NULL DEFAULT 0,
      prev_message_id bigint NOT NULL DEFAULT 0,
      message_count integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_activity_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX im_chats_portal_entity ON im_chats (portal_id, entity_type, entity_id) WHERE entity_type <> '';
    CREATE UNIQUE INDEX im_chats_notify_owner ON im_chats (owner_id) WHERE type = 'N';

    -- The one chat of each pair of users; user_low <= user_high.
    CREATE TABLE im_private_dialogs (
      user_low integer NOT NULL REFERENCES users(id),
      user_high integer NOT NULL REFERENCES users(id),
      portal_id integer NOT NULL REFERENCES portals(id),
      chat_id integer NOT NULL UNIQUE REFERENCES im_chats(id),
      PRIMARY KEY (user_low, user_high)
    );

    CREATE TABLE im_chat_members (
      chat_id integer NOT NULL REFERENCES im_chats(id),
      user_id integer NOT NULL REFERENCES users(id),
      portal_id integer NOT NULL REFERENCES portals(id),
      role text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'manager', 'member')),
      -- The first message the member may see (history hidden from members added later).
      start_id bigint NOT NULL DEFAULT 0,
      last_read_id bigint NOT NULL DEFAULT 0,
      unread_count integer NOT NULL DEFAULT 0,
      joined_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (chat_id, user_id)
    );
    CREATE INDEX im_chat_members_user ON im_chat_members (user_id, chat_id);

    CREATE TABLE im_messages (
      id bigserial PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      chat_id integer NOT NULL REFERENCES im_chats(id),
      -- 0 for messages written by the system (join, leave).
      author_id integer NOT NULL,
      is_system boolean NOT NULL DEFAULT false,
      text text NOT NULL,
      params jsonb NOT NULL DEFAULT '{}',
      reply_id bigint,
      -- The client's id of a send, so that a retried send stores nothing new.
      uuid text,
      created_at timestamptz NOT NULL DEFAULT now(),
      edited_at timestamptz,
      deleted_at timestamptz
    );
    CREATE INDEX im_messages_chat ON im_messages (chat_id, id);
    CREATE UNIQUE INDEX im_messages_author_uuid ON im_messages (author_id, uuid) WHERE uuid IS NOT NULL;

    -- What a message said before each edit or deletion.
    CREATE TABLE im_message_versions (
      id bigserial PRIMARY KEY,
      message_id bigint NOT NULL REFERENCES im_messages(id),
      portal_id integer NOT NULL REFERENCES portals(id),
      changed_by integer NOT NULL REFERENCES users(id),
      change text NOT NULL CHECK (change IN ('edit', 'delete')),
      text text NOT NULL,
      params jsonb NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX im_message_versions_message ON im_message_versions (message_id, id);

    CREATE TABLE im_notifications (
      id bigserial PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      user_id integer NOT NULL REFERENCES users(id),
      chat_id integer NOT NULL REFERENCES im_chats(id),
      author_id integer NOT NULL DEFAULT 0,
      -- Bitrix24 notify types: 2 from a user (personal), 4 system.
      notify_type smallint NOT NULL,
      module text NOT NULL,
      event text NOT NULL,
      tag text,
      sub_tag text,
      title text NOT NULL DEFAULT '',
      text text NOT NULL,
      text_out text NOT NULL DEFAULT '',
      params jsonb,
      is_read boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX im_notifications_user ON im_notifications (user_id, id);
    CREATE INDEX im_notifications_user_unread ON im_notifications (user_id) WHERE NOT is_read;
    CREATE INDEX im_notifications_user_tag ON im_notifications (user_id, tag) WHERE tag IS NOT NULL;
  `,
};
