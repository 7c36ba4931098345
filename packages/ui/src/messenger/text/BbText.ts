import { parseBbCode } from '@portaldesk/protocol';
import { computed, defineComponent, h, type PropType } from 'vue';
import { renderBbNodes } from './render-bb-nodes.ts';

/** A message's text with its BB-code formatting, safe for any input. */
export const BbText = defineComponent({
  name: 'BbText',
  props: {
    text: { type: String, required: true },
    currentUserId: { type: Number as PropType<number | undefined>, default: undefined },
  },
  setup(props) {
    const nodes = computed(() => parseBbCode(props.text));
    return () =>
      h('span', { class: 'wrap-anywhere' }, renderBbNodes(nodes.value, { currentUserId: props.currentUserId }));
  },
});
