import type { Migration } from './migration.ts';

/**
 * The search index keyed by chat and word: each message's words as `<chat id>:<word>`
 * (`search_chat_words`), so that a search in a chat reads only that chat's postings. Every search
 * is of the caller's own chats; with one index of plain words (migration 15), a common word or a
 * common word's beginning ("meet" for "meeting", a prefix match) read its postings across every
 * chat of the portal (a prefix match reads all of them, whatever else the query asks), some
 * 100 ms at 1,000,000 messages. Keyed by chat, a prefix is a range of the chat's own words.
 *
 * An index on an expression of the stored vector, not a new column: no table rewrite, and
 * ranking still reads the plain vector. `search_chat_query` turns a query of plain words
 * (`to_tsquery('portaldesk_search', …)`, which normalizes them as the vector's were) into the
 * same chat's keys: the query's text form quotes each word, and an opening quote is the only one
 * at the start or after a space, `(` or `!` (a quote inside a word is doubled and follows a
 * character of the word; the words searched hold only letters and digits). The keys have no
 * positions, so a phrase (a word the parser splits, such as "x²y": 'x' <-> 'y') becomes "all of
 * them": the index gives a superset, which the plain vector then filters.
 * Both are SQL functions of one expression, which the planner inlines. A message without words
 * (deleted, or only signs and BB-code) has no keys; the chat lexeme `#<chat id>` is none either.
 * The keys are joined with and split at chr(31), which the parser never puts in a word.
 */
export const chatScopedSearch: Migration = {
  version: 19,
  name: 'chat-scoped search',
  sql: `
    CREATE FUNCTION search_chat_words(chat integer, words tsvector) RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN CASE WHEN ts_delete(words, '#' || chat::text) = ''::tsvector THEN ''::tsvector
        ELSE array_to_tsvector(string_to_array(
          chat::text || ':' || array_to_string(
            tsvector_to_array(ts_delete(words, '#' || chat::text)), chr(31) || chat::text || ':'),
          chr(31))) END;
    CREATE FUNCTION search_chat_query(chat integer, words tsquery) RETURNS tsquery
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN regexp_replace(regexp_replace(words::text, '(^|[ (!])''', '\\1''' || chat::text || ':', 'g'),
        ' <[0-9-]+> ', ' & ', 'g')::tsquery;

    CREATE INDEX im_messages_chat_words ON im_messages USING gin (search_chat_words(chat_id, search_vector));
    DROP INDEX im_messages_search;
  `,
};
