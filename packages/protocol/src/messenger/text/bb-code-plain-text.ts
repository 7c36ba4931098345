import type { BbNode } from './bb-node.ts';
import { parseBbCode } from './parse-bb-code.ts';

/**
 * A message's Bitrix24 BB-code as the plain text a person reads where no formatting can be shown
 * (a notification, a chat list line): tags dropped, a mention as the name, a link as its text, a
 * picture as "[picture]", a quote in «». Line breaks stay.
 */
export function bbCodeToPlainText(source: string): string {
  return flatten(parseBbCode(source));
}

function flatten(nodes: BbNode[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
        case 'code':
          return node.text;
        case 'lineBreak':
          return '\n';
        case 'image':
          return '[picture]';
        case 'quote':
          return `«${flatten(node.children)}»\n`;
        default:
          return flatten(node.children);
      }
    })
    .join('');
}
