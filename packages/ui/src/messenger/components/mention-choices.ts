import { computed, nextTick, type Ref, ref } from 'vue';
import type { PortalUser } from '../api/group-chat-api.ts';
import { type MentionQuery, mentionQueryAt, withMentionCodes, withMentionPicked } from '../state/draft-mentions.ts';
import { matchesSearch } from '../state/name-search.ts';
import { useChoiceKeys } from './choice-keys.ts';

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
  const { highlighted, keydown } = useChoiceKeys({
    choices: offered,
    pick: (person) => void pick(person),
    dismiss: () => {
      mention.value = null;
    },
    tabPicks: true,
  });

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
