/**
 * A message's text, parsed: a tree of plain data. It is rendered node by node with Vue's `h()`,
 * never through an HTML string, so no text from a message can become markup.
 */
export type BbNode =
  | { type: 'text'; text: string }
  | { type: 'lineBreak' }
  | { type: 'bold' | 'italic' | 'underline' | 'strike' | 'quote'; children: BbNode[] }
  | { type: 'code'; text: string }
  /** `href` is always an absolute `http:`, `https:` or `mailto:` URL. */
  | { type: 'link'; href: string; children: BbNode[] }
  | { type: 'mention'; userId: number; children: BbNode[] }
  /** A picture is shown as a link: nothing remote loads until the reader follows it. */
  | { type: 'image'; href: string };

export type BbContainerType = 'bold' | 'italic' | 'underline' | 'strike' | 'quote';
