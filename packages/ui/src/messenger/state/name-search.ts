/**
 * The one rule for finding people and chats by what the reader types: every word typed appears in
 * the name, in any order, whatever the case or accents ("ren sch" finds "René Schäfer").
 */
export function matchesSearch(haystack: string, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const folded = fold(haystack);
  return words.every((word) => folded.includes(word));
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}
