import type { BbNode } from '@portaldesk/protocol';
import { h, type VNode } from 'vue';

export interface BbRenderOptions {
  /** Mentions of this user are highlighted more strongly: they are about the reader. */
  currentUserId?: number | undefined;
}

/**
 * Parsed text as Vue nodes. Text is only ever passed as a child string (escaped by Vue); links
 * carry an `href` the parser has checked and open in a new tab without a referrer.
 */
export function renderBbNodes(nodes: BbNode[], options: BbRenderOptions = {}): (VNode | string)[] {
  return nodes.map((node) => renderNode(node, options));
}

function renderNode(node: BbNode, options: BbRenderOptions): VNode | string {
  const children = () => ('children' in node ? renderBbNodes(node.children, options) : []);
  switch (node.type) {
    case 'text':
      return node.text;
    case 'lineBreak':
      return h('br');
    case 'bold':
      return h('strong', children());
    case 'italic':
      return h('em', children());
    case 'underline':
      return h('u', children());
    case 'strike':
      return h('s', children());
    case 'quote':
      return h('blockquote', { class: 'my-1 border-l-2 border-(--ui-color-base-5) pl-2 opacity-80' }, children());
    case 'code':
      return h(
        'code',
        { class: 'block whitespace-pre-wrap rounded bg-(--ui-color-base-8) p-2 font-mono text-sm' },
        node.text,
      );
    case 'link':
      return h(
        'a',
        { href: node.href, target: '_blank', rel: 'noopener noreferrer nofollow', class: 'underline' },
        children(),
      );
    case 'image':
      return h(
        'a',
        { href: node.href, target: '_blank', rel: 'noopener noreferrer nofollow', class: 'underline' },
        `Picture: ${new URL(node.href).host}`,
      );
    case 'mention': {
      const isReader = options.currentUserId === node.userId;
      return h(
        'span',
        {
          class: [
            'rounded px-0.5 font-semibold',
            isReader
              ? 'bg-(--ui-color-accent-soft-blue-1) text-(--ui-color-accent-main-link)'
              : 'text-(--ui-color-accent-main-link)',
          ],
          'data-mention': String(node.userId),
        },
        children(),
      );
    }
  }
}
