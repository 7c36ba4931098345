import type { Migration } from './index.ts';

/**
 * Full-text search over messages. Messages are multilingual, so no language's stemming: the
 * `simple` parser and dictionary (lower case, every word kept), after `unaccent` (so "cafe"
 * finds "café"). BB-code tags are stripped first, so that `[USER=5]` or `[B]` are not words;
 * a deleted message has no words. The vector is stored (ranking reads it for every match)
 * and indexed together with the chat (`btree_gin`), so that a search of the caller's chats
 * reads only the postings of those chats, however common the word is elsewhere.
 *
 * Both extensions are trusted (a database owner may create them) and go into `public`, so that
 * several schemas of one database (the benchmarks) share them.
 */
export const messageSearch: Migration = {
  version: 15,
  name: 'message search',
  sql: `
    CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
    CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;
    CREATE TEXT SEARCH CONFIGURATION portaldesk_search (COPY = pg_catalog.simple);
    ALTER TEXT SEARCH CONFIGURATION portaldesk_search
      ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
      WITH public.unaccent, pg_catalog.simple;

    ALTER TABLE im_messages ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
      CASE WHEN deleted_at IS NULL
        THEN to_tsvector('portaldesk_search'::regconfig,
          regexp_replace(text, '\\[/?[A-Za-z*]+(=[^\\]]*)?\\]', ' ', 'g'))
        ELSE ''::tsvector
      END
    ) STORED;
    CREATE INDEX im_messages_search ON im_messages USING gin (chat_id, search_vector);
  `,
};
