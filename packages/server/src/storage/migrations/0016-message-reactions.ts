import type { Migration } from './migration.ts';

/**
 * Reactions to messages: who put which reaction (a documented code such as `like`) on which
 * message. A person may put several different reactions on one message, each once.
 */
export const messageReactions: Migration = {
  version: 16,
  name: 'message reactions',
  sql: `
    CREATE TABLE im_message_reactions (
      message_id bigint NOT NULL REFERENCES im_messages(id),
      user_id integer NOT NULL REFERENCES users(id),
      reaction text NOT NULL,
      portal_id integer NOT NULL REFERENCES portals(id),
      chat_id integer NOT NULL REFERENCES im_chats(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (message_id, user_id, reaction)
    );
  `,
};
