import type { Migration } from './migration.ts';

/**
 * Files sent in chats. Each chat has one folder (`im.disk.folder.get`); a file is uploaded into it
 * (`disk.folder.uploadfile`) and stays the uploader's alone until `im.disk.file.commit` posts it
 * with a message. Bodies live outside the database, addressed by their SHA-256, so the same bytes
 * sent twice are stored once; `access_key` makes the download address unguessable (membership is
 * checked on every request as well). An upload address (the two-step form) is a single-use token
 * kept only as its digest.
 */
export const chatFiles: Migration = {
  version: 13,
  name: 'chat files',
  sql: `
    CREATE TABLE disk_chat_folders (
      id serial PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      chat_id integer NOT NULL UNIQUE REFERENCES im_chats(id)
    );

    CREATE TABLE disk_files (
      id serial PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      folder_id integer NOT NULL REFERENCES disk_chat_folders(id),
      chat_id integer NOT NULL REFERENCES im_chats(id),
      author_id integer NOT NULL REFERENCES users(id),
      name text NOT NULL,
      size bigint NOT NULL,
      -- Taken from the bytes, never from the name.
      mime_type text NOT NULL,
      content_sha256 text NOT NULL,
      -- Images only: the picture's size, and a re-encoded, metadata-free preview.
      width integer,
      height integer,
      preview_sha256 text,
      access_key text NOT NULL,
      created_at timestamptz NOT NULL,
      -- Set when posted into the chat; until then only the uploader sees the file.
      message_id bigint,
      deleted_at timestamptz
    );
    CREATE INDEX disk_files_message ON disk_files (message_id) WHERE message_id IS NOT NULL;
    CREATE INDEX disk_files_uncommitted ON disk_files (created_at) WHERE message_id IS NULL AND deleted_at IS NULL;
    CREATE INDEX disk_files_content ON disk_files (content_sha256);
    CREATE INDEX disk_files_preview ON disk_files (preview_sha256) WHERE preview_sha256 IS NOT NULL;

    CREATE TABLE disk_upload_tokens (
      token_digest text PRIMARY KEY,
      portal_id integer NOT NULL REFERENCES portals(id),
      user_id integer NOT NULL REFERENCES users(id),
      folder_id integer NOT NULL REFERENCES disk_chat_folders(id),
      generate_unique_name boolean NOT NULL DEFAULT false,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX disk_upload_tokens_expiry ON disk_upload_tokens (expires_at);
  `,
};
