import { matchesAsPrefix } from '@portaldesk/protocol';

/**
 * A person's search string as a PostgreSQL text-search query: its words (letters and digits,
 * any script), all of them required; the last also as a prefix ("meet" finds "meeting").
 * Built from words only, so no input reaches `to_tsquery`'s own syntax.
 */
const WORD = /[\p{L}\p{N}]+/gu;
const MAX_WORDS = 10;
const MAX_WORD_LENGTH = 100;

/** The words searched for, in order, at most ten; empty when the string has none. */
export function searchWords(text: string): string[] {
  const words = (text.normalize('NFC').match(WORD) ?? []).map((w) => w.slice(0, MAX_WORD_LENGTH));
  return [...new Set(words)].slice(0, MAX_WORDS);
}

/** The `to_tsquery` text for these words (each quoted; they hold only letters and digits). */
export function prefixQuery(words: readonly string[]): string {
  return words.map((w, i) => (matchesAsPrefix(w, i === words.length - 1) ? `'${w}':*` : `'${w}'`)).join(' & ');
}
