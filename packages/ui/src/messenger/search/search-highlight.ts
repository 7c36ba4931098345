import { matchesAsPrefix } from '@portaldesk/protocol';

/**
 * Where a search's words are in a found message's plain text, so that the result can show them
 * marked. As the server matches: case and accents do not matter, and the last word also matches
 * the start of a word in the text ("meet" in "Meeting"; see matchesAsPrefix). Works on the text
 * only; the screen renders the parts as text, never as markup.
 */
export interface TextPart {
  text: string;
  match: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower case without accents, one character for one (so positions keep). */
function folded(text: string): string {
  return [...text].map((ch) => ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().slice(0, 1) || ch).join('');
}

/** The words of a search string, folded. */
export function searchTerms(query: string): string[] {
  return [...new Set((query.match(WORD) ?? []).map(folded))].filter((w) => w.length > 0);
}

/** `text` cut into plain and matching parts. */
export function highlightParts(text: string, terms: readonly string[]): TextPart[] {
  const chars = [...text];
  const marked = new Array<boolean>(chars.length).fill(false);
  const foldedChars = [...folded(text)];
  for (const match of text.matchAll(WORD)) {
    const start = [...text.slice(0, match.index)].length;
    const length = [...match[0]].length;
    const word = foldedChars.slice(start, start + length).join('');
    const term = terms
      .filter((t, i) => word === t || (matchesAsPrefix(t, i === terms.length - 1) && word.startsWith(t)))
      .sort((a, b) => b.length - a.length)[0];
    if (term) for (let i = start; i < start + [...term].length; i++) marked[i] = true;
  }
  const parts: TextPart[] = [];
  chars.forEach((ch, i) => {
    const last = parts.at(-1);
    if (last && last.match === marked[i]) last.text += ch;
    else parts.push({ text: ch, match: marked[i] ?? false });
  });
  return parts;
}

/**
 * A long text shortened around its first match, so that the match shows in a one- or two-line
 * result: up to `before` characters before it, with "…" where text was cut.
 */
export function aroundFirstMatch(parts: TextPart[], before = 40, total = 160): TextPart[] {
  const chars = parts.flatMap((p) => [...p.text].map((ch) => ({ ch, match: p.match })));
  const first = Math.max(
    0,
    chars.findIndex((c) => c.match),
  );
  const start = first > before ? first - before : 0;
  const window = chars.slice(start, start + total);
  const result: TextPart[] = [];
  for (const c of window) {
    const last = result.at(-1);
    if (last && last.match === c.match) last.text += c.ch;
    else result.push({ text: c.ch, match: c.match });
  }
  if (start > 0) result.unshift({ text: '…', match: false });
  if (start + total < chars.length) result.push({ text: '…', match: false });
  return result;
}
