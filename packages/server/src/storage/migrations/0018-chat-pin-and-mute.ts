import type { Migration } from './migration.ts';

/**
 * Each member's own choices for a chat: pinned to the top of their chat list (`im.recent.pin`,
 * when, so that pins keep the order they were made in) and muted (`im.chat.mute`: it still
 * counts, but raises no notification).
 */
export const chatPinAndMute: Migration = {
  version: 18,
  name: 'chat pin and mute',
  sql: `
    ALTER TABLE im_chat_members ADD COLUMN pinned_at timestamptz;
    ALTER TABLE im_chat_members ADD COLUMN muted boolean NOT NULL DEFAULT false;
  `,
};
