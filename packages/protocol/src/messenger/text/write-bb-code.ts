import type { BbNode } from './bb-node.ts';
import { safeLinkHref } from './safe-link.ts';

const TAGS = { bold: 'b', italic: 'i', underline: 'u', strike: 's', quote: 'quote' } as const;

/**
 * A message tree written back as Bitrix24 BB-code, the inverse of `parseBbCode`: what the
 * composer sends. A link whose text is its own address is written bare, as it was typed.
 */
export function writeBbCode(nodes: readonly BbNode[]): string {
  return nodes.map(writeNode).join('');
}

function writeNode(node: BbNode): string {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'lineBreak':
      return '\n';
    case 'code':
      return `[code]${node.text}[/code]`;
    case 'image':
      return `[img]${node.href}[/img]`;
    case 'mention':
      return `[USER=${node.userId}]${writeBbCode(node.children)}[/USER]`;
    case 'link': {
      const only = node.children.length === 1 ? node.children[0] : undefined;
      if (only?.type === 'text' && /^(https?|mailto):/i.test(only.text) && safeLinkHref(only.text) === node.href) {
        return only.text;
      }
      return `[url=${node.href}]${writeBbCode(node.children)}[/url]`;
    }
    default: {
      const tag = TAGS[node.type];
      return `[${tag}]${writeBbCode(node.children)}[/${tag}]`;
    }
  }
}
