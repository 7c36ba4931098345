import type { Migration } from './migration.ts';

/**
 * Full-text search over messages. Messages are multilingual, so no language's stemming: the
 * `simple` parser and dictionary (lower case, every word kept), after `unaccent` (so "cafe"
 * finds "café"). BB-code tags are stripped first, so that `[USER=5]` or `[B]` are not words;
 * a deleted message has no words. The vector is stored (ranking reads it for every match).
 *
 * Each vector also holds its chat as a lexeme, `#<chat id>` (the parser never makes a word with
 * `#`), so that one read of the GIN index answers "these words in any of these chats": the chat
 * lexemes' short lists drive the scan, and a common word's long list is skipped through rather
 * than read (a second index column for the chat would be scanned once per chat instead).
 *
 * The extension is trusted (a database owner may create it) and goes into `public`, so that
 * several schemas of one database (the benchmarks) share it.
 */
export const messageSearch: Migration = {
  version: 15,
  name: 'message search',
  sql: `
    CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
    CREATE TEXT SEARCH CONFIGURATION portaldesk_search (COPY = pg_catalog.simple);
    ALTER TEXT SEARCH CONFIGURATION portaldesk_search
      ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
      WITH public.unaccent, pg_catalog.simple;

    ALTER TABLE im_messages ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
      CASE WHEN deleted_at IS NULL
        THEN to_tsvector('portaldesk_search'::regconfig,
          regexp_replace(text, '\\[/?[A-Za-z*]+(=[^\\]]*)?\\]', ' ', 'g'))
          || ('#' || chat_id::text)::tsvector
        ELSE ''::tsvector
      END
    ) STORED;
    CREATE INDEX im_messages_search ON im_messages USING gin (search_vector);
  `,
};
