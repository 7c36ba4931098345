/**
 * Mentions while writing, as in Slack and Bitrix24: "@" and a few letters offer colleagues; the
 * one picked goes into the box as a chip with their name (see composer/), and into the message
 * sent as Bitrix24's `[USER=id]Full Name[/USER]`, which notifies them and shows them highlighted.
 * A name typed out in full after "@", without picking, is sent as a mention too.
 */

/** Longest "@query" that still offers colleagues; beyond it the "@" was not meant as a mention. */
const MAX_QUERY = 30;

export interface MentionQuery {
  /** Where the "@" stands. */
  start: number;
  /** What follows it, up to the caret. */
  query: string;
}

/** The "@query" the caret is at the end of, or null: "@" starts the text or follows a space. */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([^\s@[\]]*)$/.exec(before);
  if (!match || match[2]!.length > MAX_QUERY) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]! };
}

/**
 * The message to send: each "@Full Name" of a colleague becomes `[USER=id]Full Name[/USER]`.
 * Longer names first, so "@Anna Maria Lee" is not taken for "@Anna Maria".
 */
export function withMentionCodes(text: string, people: readonly { id: number; name: string }[]): string {
  const byLength = [...people]
    .filter((person) => person.name.trim() !== '')
    .sort((a, b) => b.name.length - a.name.length);
  let result = '';
  let index = 0;
  while (index < text.length) {
    const atBoundary = text[index] === '@' && (index === 0 || /\s/.test(text[index - 1]!));
    const person = atBoundary ? byLength.find((candidate) => endsWord(text, index + 1, candidate.name)) : undefined;
    if (person) {
      result += `[USER=${person.id}]${person.name}[/USER]`;
      index += 1 + person.name.length;
    } else {
      result += text[index];
      index += 1;
    }
  }
  return result;
}

/** True when `name` stands at `from` and is not the start of a longer word. */
function endsWord(text: string, from: number, name: string): boolean {
  if (text.slice(from, from + name.length) !== name) return false;
  const next = text[from + name.length];
  return next === undefined || !/[\p{L}\p{N}]/u.test(next);
}
