import { type BbNode, markdownToBbCode, parseBbCode, writeBbCode } from '@portaldesk/protocol';
import type { JSONContent } from '@tiptap/core';

/*
 * The composer's document (the editor's JSON: paragraphs and quotes of text with marks, mention
 * chips and line breaks) and Bitrix24 BB-code, the only thing that goes over the wire, in both
 * directions: a message being edited opens with its mentions as chips, and what is written goes
 * out as `[b]…[/b]`, `[USER=id]Full Name[/USER]` and so on.
 */

/** The formatting marks, outermost first, as BB-code nests them. */
const MARK_ORDER = ['link', 'bold', 'italic', 'underline', 'strike'] as const;
type ContainerMark = (typeof MARK_ORDER)[number];
const NODE_OF_MARK = { bold: 'bold', italic: 'italic', underline: 'underline', strike: 'strike' } as const;

interface MarkRef {
  type: ContainerMark;
  href?: string;
}

/** The BB-code a document is sent as; Markdown emphasis typed by hand becomes BB-code too. */
export function documentToBbCode(doc: JSONContent): string {
  return markdownToBbCode(writeBbCode(documentToBbNodes(doc)));
}

/** A document as a message tree: blocks are separated by line breaks. */
export function documentToBbNodes(doc: JSONContent): BbNode[] {
  const nodes: BbNode[] = [];
  for (const [index, block] of (doc.content ?? []).entries()) {
    if (index > 0) nodes.push({ type: 'lineBreak' });
    if (block.type === 'blockquote') {
      const inner: BbNode[] = [];
      for (const [n, paragraph] of (block.content ?? []).entries()) {
        if (n > 0) inner.push({ type: 'lineBreak' });
        inner.push(...inlineToBbNodes(paragraph.content ?? []));
      }
      nodes.push({ type: 'quote', children: inner });
    } else {
      nodes.push(...inlineToBbNodes(block.content ?? []));
    }
  }
  return nodes;
}

/** Inline content: runs of text sharing marks become one formatting node, as few as it takes. */
function inlineToBbNodes(content: readonly JSONContent[]): BbNode[] {
  const root: BbNode[] = [];
  const open: { mark: MarkRef; children: BbNode[] }[] = [];
  const into = () => open.at(-1)?.children ?? root;
  for (const item of content.flatMap(withEdgeSpacesUnformatted)) {
    const marks = containerMarks(item);
    let shared = 0;
    while (shared < open.length && shared < marks.length && sameMark(open[shared]!.mark, marks[shared]!)) shared++;
    open.length = shared;
    for (const mark of marks.slice(shared)) {
      const children: BbNode[] = [];
      into().push(
        mark.type === 'link'
          ? { type: 'link', href: mark.href ?? '', children }
          : { type: NODE_OF_MARK[mark.type], children },
      );
      open.push({ mark, children });
    }
    const leaf = leafOf(item);
    if (leaf) into().push(leaf);
  }
  return root;
}

/**
 * Spaces at the edges of bold, italic, underlined or struck text are sent outside its tags, as
 * Markdown and Slack do: `[b]word[/b] `, not `[b]word [/b]`. (Chromium also turns a space typed
 * just before Ctrl+B into a formatted one when the next letter comes.) A space keeps the
 * formatting its neighbour on that side shares, so `[b]bold [i]both[/i][/b]` stays one tag.
 * No-break spaces the browser put in are sent as spaces.
 */
function withEdgeSpacesUnformatted(item: JSONContent, index: number, all: readonly JSONContent[]): JSONContent[] {
  if (item.type !== 'text' || !item.text) return [item];
  const text = item.text.replace(/\u00a0/g, ' ');
  const match = /^(\s*)(.*?)(\s*)$/s.exec(text);
  if (!item.marks?.length || !match || match[2] === '') return [{ ...item, text }];
  const [, before = '', core, after = ''] = match;
  const spaces = (run: string, neighbour: JSONContent | undefined): JSONContent[] => {
    if (run === '') return [];
    const marks = item.marks!.filter(
      (mark) => mark.type === 'link' || neighbour?.marks?.some((other) => other.type === mark.type),
    );
    return [marks.length > 0 ? { type: 'text', text: run, marks } : { type: 'text', text: run }];
  };
  return [...spaces(before, all[index - 1]), { ...item, text: core }, ...spaces(after, all[index + 1])];
}

function leafOf(item: JSONContent): BbNode | null {
  if (item.type === 'hardBreak') return { type: 'lineBreak' };
  if (item.type === 'mention') {
    const userId = Number(item.attrs?.id);
    const name = String(item.attrs?.label ?? '');
    return Number.isInteger(userId) && userId > 0
      ? { type: 'mention', userId, children: [{ type: 'text', text: name }] }
      : { type: 'text', text: name };
  }
  if (item.type !== 'text' || !item.text) return null;
  return item.marks?.some((mark) => mark.type === 'code')
    ? { type: 'code', text: item.text }
    : { type: 'text', text: item.text };
}

function containerMarks(item: JSONContent): MarkRef[] {
  const marks = item.marks ?? [];
  return MARK_ORDER.flatMap((type) => {
    const mark = marks.find((m) => m.type === type);
    if (!mark) return [];
    return [type === 'link' ? { type, href: String(mark.attrs?.href ?? '') } : { type }];
  });
}

function sameMark(a: MarkRef, b: MarkRef): boolean {
  return a.type === b.type && a.href === b.href;
}

/** BB-code (a message being edited, a draft) as a document: mentions become chips. */
export function bbCodeToDocument(source: string): JSONContent {
  const blocks: JSONContent[] = [];
  let paragraph: JSONContent[] = [];
  let afterQuote = false;
  const endParagraph = () => {
    blocks.push(paragraph.length > 0 ? { type: 'paragraph', content: paragraph } : { type: 'paragraph' });
    paragraph = [];
  };
  for (const node of parseBbCode(source)) {
    if (node.type === 'quote') {
      // The line break before a quote only starts it.
      if (paragraph.at(-1)?.type === 'hardBreak') paragraph.pop();
      if (paragraph.length > 0) endParagraph();
      blocks.push({ type: 'blockquote', content: [{ type: 'paragraph', content: inlineOf([node], []) }] });
      afterQuote = true;
      continue;
    }
    // The line break that follows a quote only ends it: the next line is a paragraph of its own.
    if (afterQuote && node.type === 'lineBreak') {
      afterQuote = false;
      continue;
    }
    afterQuote = false;
    paragraph.push(...inlineOf([node], []));
  }
  if (paragraph.length > 0 || blocks.length === 0 || blocks.at(-1)?.type === 'blockquote') endParagraph();
  return { type: 'doc', content: blocks };
}

/** Inline editor content of message nodes (a quote's own content included, flattened). */
function inlineOf(
  nodes: readonly BbNode[],
  marks: readonly { type: string; attrs?: Record<string, unknown> }[],
): JSONContent[] {
  return nodes.flatMap((node): JSONContent[] => {
    const withMarks = (text: string, extra: { type: string }[] = []): JSONContent => {
      const all = [...marks, ...extra];
      return all.length > 0 ? { type: 'text', text, marks: all } : { type: 'text', text };
    };
    switch (node.type) {
      case 'text':
        return node.text === '' ? [] : [withMarks(node.text)];
      case 'lineBreak':
        return [{ type: 'hardBreak' }];
      case 'code':
        return node.text === '' ? [] : [withMarks(node.text, [{ type: 'code' }])];
      case 'image':
        return [withMarks(`[img]${node.href}[/img]`)];
      case 'mention':
        return [{ type: 'mention', attrs: { id: String(node.userId), label: plainTextOf(node.children) } }];
      case 'link':
        return inlineOf(node.children, [...marks, { type: 'link', attrs: { href: node.href } }]);
      case 'quote':
        return inlineOf(node.children, marks);
      default:
        return inlineOf(node.children, [...marks, { type: node.type }]);
    }
  });
}

function plainTextOf(nodes: readonly BbNode[]): string {
  return nodes
    .map((node) => ('text' in node ? node.text : 'children' in node ? plainTextOf(node.children) : ''))
    .join('');
}
