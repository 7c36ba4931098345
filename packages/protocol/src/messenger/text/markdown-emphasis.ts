import type { BbNode } from './bb-node.ts';
import { parseBbCode } from './parse-bb-code.ts';
import { writeBbCode } from './write-bb-code.ts';

/*
 * Markdown-style emphasis typed by hand, as chat apps understand it: `**bold**` and `__bold__`,
 * `*italic*` and `_italic_`, `~~strike~~` and `` `code` ``. A delimiter counts only at a word's
 * edge (not inside `snake_case` or `2*3*4`), its content neither starts nor ends with a space, and
 * it never spans a line. Inside code, links and mentions nothing is changed.
 */
const NOT_WORD_BEFORE = '(?<![\\p{L}\\p{N}])';
const NOT_WORD_AFTER = '(?![\\p{L}\\p{N}])';
const EMPHASIS = new RegExp(
  [
    '`([^`]+)`',
    `${NOT_WORD_BEFORE}(\\*\\*|__)(?=\\S)(.*?\\S)\\2${NOT_WORD_AFTER}`,
    `${NOT_WORD_BEFORE}~~(?=\\S)(.*?\\S)~~${NOT_WORD_AFTER}`,
    `${NOT_WORD_BEFORE}([*_])(?=[^\\s*_])(.*?[^\\s*_])\\5${NOT_WORD_AFTER}`,
  ].join('|'),
  'gu',
);
const HAS_DELIMITER = /[*_~`]/;

/**
 * Bitrix24 BB-code with the Markdown emphasis in its text turned into BB-code tags, so that every
 * client (and a notification's plain text) sees the same formatting. Text without any delimiter
 * is returned as it is.
 */
export function markdownToBbCode(source: string): string {
  if (!HAS_DELIMITER.test(source)) return source;
  return writeBbCode(withMarkdownEmphasis(parseBbCode(source)));
}

/** The tree with the emphasis in its plain text nodes as formatting nodes. */
export function withMarkdownEmphasis(nodes: readonly BbNode[]): BbNode[] {
  return nodes.flatMap((node): BbNode[] => {
    switch (node.type) {
      case 'text':
        return emphasisIn(node.text);
      case 'bold':
      case 'italic':
      case 'underline':
      case 'strike':
      case 'quote':
        return [{ type: node.type, children: withMarkdownEmphasis(node.children) }];
      default:
        return [node];
    }
  });
}

function emphasisIn(text: string): BbNode[] {
  const nodes: BbNode[] = [];
  let position = 0;
  // matchAll works on a copy of the expression: the nested calls below have their own position.
  for (const match of text.matchAll(EMPHASIS)) {
    if (match.index > position) nodes.push({ type: 'text', text: text.slice(position, match.index) });
    position = match.index + match[0].length;
    const [, code, , bold, strike, , italic] = match;
    if (code !== undefined) nodes.push({ type: 'code', text: code });
    else if (bold !== undefined) nodes.push({ type: 'bold', children: emphasisIn(bold) });
    else if (strike !== undefined) nodes.push({ type: 'strike', children: emphasisIn(strike) });
    else nodes.push({ type: 'italic', children: emphasisIn(italic ?? '') });
  }
  if (position < text.length) nodes.push({ type: 'text', text: text.slice(position) });
  return nodes;
}
