import { computed, nextTick, type Ref, ref } from 'vue';
import type { PortalUser } from '../api/group-chat-api.ts';
import { type MentionQuery, mentionQueryAt, withMentionCodes, withMentionPicked } from '../state/draft-mentions.ts';
import { matchesSearch } from '../state/name-search.ts';

/** Colleagues shown under "@" at most; more letters narrow them. */
const MENTION_CHOICES = 8;

/**
 * The composer's "@" picker: which colleagues it offers for the word at the caret, the keys that
 * choose among them, and the mentions in the text sent. The colleagues are loaded the first time
 * they are needed.
 */
export function useMentionChoices(options: {
  draft: Ref<string>;
  textarea: () => HTMLTextAreaElement | null | undefined;
  colleagues: () => Promise<PortalUser[]>;
}) {
  const { draft, textarea } = options;
  const mention = ref<MentionQuery | null>(null);
  const people = ref<PortalUser[]>([]);
  const highlighted = ref(0);
  let loading: Promise<PortalUser[]> | null = null;

  const offered = computed(() => {
    const query = mention.value?.query;
    if (query === undefined) return [];
    return people.value.filter((person) => matchesSearch(person.name, query)).slice(0, MENTION_CHOICES);
  });

  function loadPeople(): Promise<PortalUser[]> {
    loading ??= options.colleagues().catch(() => {
      loading = null;
      return [];
    });
    return loading.then((list) => (people.value = list));
  }

  /** After each keystroke in the box: is the caret at the end of an "@word"? */
  async function typed() {
    const area = textarea();
    mention.value = area ? mentionQueryAt(area.value, area.selectionStart) : null;
    highlighted.value = 0;
    if (mention.value) await loadPeople();
  }

  async function pick(person: PortalUser) {
    if (!mention.value) return;
    const { text, caret } = withMentionPicked(draft.value, mention.value, person.name);
    draft.value = text;
    mention.value = null;
    await nextTick();
    textarea()?.focus();
    textarea()?.setSelectionRange(caret, caret);
  }

  /** Up and Down choose, Enter or Tab takes one, Escape closes; true when the key was theirs. */
  function keydown(event: KeyboardEvent): boolean {
    const count = offered.value.length;
    if (count === 0 || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      highlighted.value = (highlighted.value + (event.key === 'ArrowDown' ? 1 : count - 1)) % count;
    } else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
      void pick(offered.value[highlighted.value]!);
    } else if (event.key === 'Escape') {
      mention.value = null;
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  }

  /** The text to send: "@Full Name" of a colleague goes out as a mention of them. */
  async function withMentions(text: string): Promise<string> {
    return text.includes('@') ? withMentionCodes(text, await loadPeople()) : text;
  }

  return {
    offered,
    highlighted,
    typed,
    pick,
    keydown,
    withMentions,
    close: () => {
      mention.value = null;
    },
  };
}
