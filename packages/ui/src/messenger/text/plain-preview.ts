import type { BbNode } from './bb-node.ts';
import { parseBbCode } from './parse-bb-code.ts';

/** A message as one line of plain text for the recent list: formatting dropped, breaks as spaces. */
export function plainPreview(text: string, maxLength = 120): string {
  const flat = flatten(parseBbCode(text)).replace(/\s+/g, ' ').trim();
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
}

function flatten(nodes: BbNode[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
        case 'code':
          return node.text;
        case 'lineBreak':
          return ' ';
        case 'image':
          return '[picture]';
        case 'quote':
          return `«${flatten(node.children)}» `;
        default:
          return flatten(node.children);
      }
    })
    .join('');
}
