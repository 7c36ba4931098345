import { linkifyText } from './bare-links.ts';
import type { BbContainerType, BbNode } from './bb-node.ts';
import { safeLinkHref } from './safe-link.ts';

const CONTAINERS: Record<string, BbContainerType> = {
  b: 'bold',
  i: 'italic',
  u: 'underline',
  s: 'strike',
  quote: 'quote',
};
/** Inside a link or a mention only these may nest; a link in a link stays text. */
const INLINE_ONLY = new Set(['b', 'i', 'u', 's']);
/** Deeper nesting than this is shown as text: crafted input must not blow the stack. */
const MAX_DEPTH = 16;
const TAG = /\[(\/?)(b|i|u|s|quote|code|url|user|img|br)(?:=([^\]\n]{0,2048}))?\]/gi;
/*
 * Closing tags are searched in the source itself, case-insensitively: offsets taken from a
 * lower-cased copy drift wherever lower-casing changes a length (`İ` becomes two code units).
 */
const CODE_END = /\[\/code\]/gi;
/** A picture is one address and its closing tag, nothing else: `[img]` never swallows text. */
const IMAGE_BODY = /\s*([^\s[\]]{1,2048})\s*\[\/img\]/iy;

interface Frame {
  tag: string;
  param: string | undefined;
  raw: string;
  children: BbNode[];
}

/**
 * Bitrix24 message text (`[b] [i] [u] [s] [url] [url=…] [user=ID] [quote] [code] [img] [br]`
 * and line breaks) as a tree. Unknown, unbalanced or unsafe markup is kept as the text it was.
 */
export function parseBbCode(source: string): BbNode[] {
  const root: Frame = { tag: '', param: undefined, raw: '', children: [] };
  const stack: Frame[] = [root];
  let position = 0;
  let codeCanClose = true;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(source); match; match = TAG.exec(source)) {
    const [raw, slash, rawName, param] = match;
    const name = (rawName ?? '').toLowerCase();
    const top = stack[stack.length - 1]!;
    pushText(top.children, source.slice(position, match.index), stack);
    position = match.index + raw.length;
    if (name === 'br' && !slash) {
      top.children.push({ type: 'lineBreak' });
    } else if (name === 'code' && !slash) {
      CODE_END.lastIndex = position;
      // Once no closing tag is left, none is searched for again (many `[code]`s stay linear).
      const end: RegExpExecArray | null = codeCanClose ? CODE_END.exec(source) : null;
      codeCanClose = end !== null;
      if (!end) pushText(top.children, raw, stack);
      else {
        top.children.push({ type: 'code', text: source.slice(position, end.index) });
        position = end.index + end[0].length;
        TAG.lastIndex = position;
      }
    } else if (name === 'img' && !slash) {
      IMAGE_BODY.lastIndex = position;
      const body = IMAGE_BODY.exec(source);
      const href = body ? safeLinkHref(body[1]!) : null;
      if (!body || !href || !/^https?:/.test(href)) pushText(top.children, raw, stack);
      else {
        top.children.push({ type: 'image', href });
        position = IMAGE_BODY.lastIndex;
        TAG.lastIndex = position;
      }
    } else if (slash) {
      closeTag(stack, name, raw);
    } else if (canOpen(stack, name)) {
      stack.push({ tag: name, param, raw, children: [] });
    } else {
      pushText(top.children, raw, stack);
    }
  }
  pushText(stack[stack.length - 1]!.children, source.slice(position), stack);
  while (stack.length > 1) unwrapUnclosed(stack);
  return mergeText(root.children);
}

function canOpen(stack: Frame[], name: string): boolean {
  if (stack.length > MAX_DEPTH) return false;
  const insideInline = stack.some((frame) => frame.tag === 'url' || frame.tag === 'user');
  return !insideInline || INLINE_ONLY.has(name);
}

function closeTag(stack: Frame[], name: string, raw: string): void {
  const top = stack[stack.length - 1]!;
  if (top.tag !== name) {
    top.children.push({ type: 'text', text: raw });
    return;
  }
  stack.pop();
  const parent = stack[stack.length - 1]!;
  parent.children.push(...finish(top));
}

/** The node a closed tag makes, or its original text when its content does not fit the tag. */
function finish(frame: Frame): BbNode[] {
  const container = CONTAINERS[frame.tag];
  if (container) return [{ type: container, children: mergeText(frame.children) }];
  const asText = (): BbNode[] => [
    { type: 'text', text: frame.raw },
    ...frame.children,
    { type: 'text', text: `[/${frame.tag}]` },
  ];
  if (frame.tag === 'url') {
    const target = frame.param ?? plainText(frame.children);
    const href = target === null ? null : safeLinkHref(target);
    if (!href) return frame.param === undefined ? asText() : frame.children;
    const children = frame.param === undefined ? [{ type: 'text' as const, text: href }] : mergeText(frame.children);
    return [{ type: 'link', href, children: children.length > 0 ? children : [{ type: 'text', text: href }] }];
  }
  if (frame.tag === 'user') {
    const userId = Number(frame.param);
    if (!/^\d{1,10}$/.test(frame.param ?? '') || userId <= 0) return frame.children;
    return [{ type: 'mention', userId, children: mergeText(frame.children) }];
  }
  return asText();
}

/** A tag never closed: its opening text and its content go back into its parent. */
function unwrapUnclosed(stack: Frame[]): void {
  const frame = stack.pop()!;
  const parent = stack[stack.length - 1]!;
  parent.children.push({ type: 'text', text: frame.raw }, ...frame.children);
}

/** Text with its line breaks; bare web addresses become links outside links and mentions. */
function pushText(into: BbNode[], text: string, stack: Frame[]): void {
  if (text === '') return;
  const linkify = !stack.some((frame) => frame.tag === 'url' || frame.tag === 'user');
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((line, index) => {
    if (index > 0) into.push({ type: 'lineBreak' });
    if (linkify) into.push(...linkifyText(line));
    else if (line !== '') into.push({ type: 'text', text: line });
  });
}

/** The text of nodes that are text only, or null when they hold anything else. */
function plainText(nodes: BbNode[]): string | null {
  let text = '';
  for (const node of nodes) {
    if (node.type === 'text') text += node.text;
    else if (node.type === 'link' && node.children.length === 1 && node.children[0]?.type === 'text')
      text += node.children[0].text;
    else return null;
  }
  return text;
}

/** Adjacent text nodes as one. */
function mergeText(nodes: BbNode[]): BbNode[] {
  const merged: BbNode[] = [];
  for (const node of nodes) {
    const last = merged[merged.length - 1];
    if (node.type === 'text' && last?.type === 'text')
      merged[merged.length - 1] = { type: 'text', text: last.text + node.text };
    else if (node.type !== 'text' || node.text !== '') merged.push(node);
  }
  return merged;
}
