import { computed, ref } from 'vue';
import type { PortalUser } from '../api/group-chat-api.ts';
import { type MentionQuery, mentionQueryAt, withMentionCodes } from '../state/draft-mentions.ts';
import { matchesSearch } from '../state/name-search.ts';
import { useChoiceKeys } from './choice-keys.ts';

/** Colleagues shown under "@" at most; more letters narrow them. */
const MENTION_CHOICES = 8;

/** What the "@" picker needs of the box it serves. */
export interface MentionBox {
  /** The text of the caret's line up to the caret, or null while text is selected. */
  textBeforeCaret(): string | null;
  /** Replaces the "@query" before the caret with a mention of the person. */
  insertMention(at: MentionQuery, person: PortalUser): void;
}

/**
 * The composer's "@" picker: which colleagues it offers for the word at the caret, the keys that
 * choose among them, and the mentions in the text sent. The colleagues are loaded the first time
 * they are needed.
 */
export function useMentionChoices(options: { box: MentionBox; colleagues: () => Promise<PortalUser[]> }) {
  const { box } = options;
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

  /** After each change in the box: is the caret at the end of an "@word"? */
  async function typed() {
    const before = box.textBeforeCaret();
    mention.value = before === null ? null : mentionQueryAt(before, before.length);
    if (mention.value) await loadPeople();
  }

  function pick(person: PortalUser) {
    if (!mention.value) return;
    box.insertMention(mention.value, person);
    mention.value = null;
  }

  /** Up and Down choose, Enter or Tab takes one, Escape closes; true when the key was theirs. */
  const { highlighted, keydown } = useChoiceKeys({
    choices: offered,
    pick,
    dismiss: () => {
      mention.value = null;
    },
    tabPicks: true,
  });

  /** The text to send: "@Full Name" typed out in full goes out as a mention of them too. */
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
