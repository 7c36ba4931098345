import { LinkifyIt } from 'linkify-it';
import type { BbNode } from './bb-node.ts';
import { safeLinkHref } from './safe-link.ts';

/*
 * Web addresses written in plain text, found by linkify-it (the markdown-it project's linkifier):
 * it keeps balanced brackets (`…/Foo_(bar)`), leaves sentence punctuation to the sentence and
 * knows Unicode word boundaries. Only what the writer marked as a link counts: `http://`,
 * `https://` and `mailto:`; no `ftp:`, no protocol-relative `//host`, no bare `example.com` or
 * e-mail addresses.
 */
const finder = new LinkifyIt({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false }).add('ftp:', null).add('//', null);

/** Text as text and link nodes; every link target has also passed `safeLinkHref`. */
export function linkifyText(text: string): BbNode[] {
  const matches = finder.test(text) ? (finder.match(text) ?? []) : [];
  const nodes: BbNode[] = [];
  let position = 0;
  for (const match of matches) {
    const href = safeLinkHref(match.url);
    if (!href) continue;
    if (match.index > position) nodes.push({ type: 'text', text: text.slice(position, match.index) });
    nodes.push({ type: 'link', href, children: [{ type: 'text', text: match.raw }] });
    position = match.lastIndex;
  }
  if (position < text.length) nodes.push({ type: 'text', text: text.slice(position) });
  return nodes;
}
