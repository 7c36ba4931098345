import { type Ref, ref, watch } from 'vue';

/**
 * The keys of a list of choices offered under a text box (a combobox): Up and Down move the
 * highlight, Enter (and Tab where `tabPicks`) takes the highlighted one, Escape dismisses. The
 * box keeps the focus, so the person can go on typing; the highlight starts again at the top
 * whenever the choices change. With no choices shown, no key is the list's.
 */
export function useChoiceKeys<T>(options: {
  choices: Readonly<Ref<readonly T[]>>;
  pick: (choice: T) => void;
  dismiss: () => void;
  tabPicks?: boolean;
}) {
  const highlighted = ref(0);
  watch(options.choices, () => {
    highlighted.value = 0;
  });

  /** True when the key was the list's (its default is then prevented). */
  function keydown(event: KeyboardEvent): boolean {
    const count = options.choices.value.length;
    if (count === 0 || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return false;
    if (event.key === 'Escape') {
      options.dismiss();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      highlighted.value = (highlighted.value + (event.key === 'ArrowDown' ? 1 : count - 1)) % count;
    } else if ((event.key === 'Enter' || (event.key === 'Tab' && options.tabPicks)) && !event.shiftKey) {
      options.pick(options.choices.value[Math.min(highlighted.value, count - 1)]!);
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  }

  return { highlighted, keydown };
}
