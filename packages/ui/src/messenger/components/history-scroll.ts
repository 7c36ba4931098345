import { nextTick, onMounted, type Ref, ref, watch } from 'vue';
import type { DialogHistory } from '../state/dialog-history.ts';
import type { LoadState } from '../state/load-state.ts';

/** Closer than this to the top, older messages are fetched. */
const LOAD_OLDER_WITHIN_PX = 120;

/** What the scrolling of a dialog's history reads from its component and asks of it. */
export interface HistoryScrollOptions {
  scroller: Ref<HTMLElement | null>;
  history: () => DialogHistory | undefined;
  state: () => LoadState;
  readerId: () => number;
  loadOlder: () => void;
  loadNewer: () => void;
  showNewest: () => void;
  seen: (messageId: number) => void;
}

/**
 * Keeps a dialog's history where the reader wants it: at the newest while they are there, in
 * place while older or newer pages come, and reports the newest message they have reached.
 */
export function useHistoryScroll(options: HistoryScrollOptions) {
  const { scroller } = options;
  let stickToBottom = true;
  /** The reader has scrolled up from the newest messages: a button takes them back down. */
  const awayFromNewest = ref(false);
  /** Messages from others that came while the reader was away from the newest. */
  const arrivedBelow = ref(0);
  /** A page of newer messages was asked for: what comes with it did not "arrive". */
  let pagingNewer = false;

  async function onScroll() {
    const element = scroller.value;
    if (!element) return;
    const fromBottom = element.scrollHeight - element.scrollTop - element.clientHeight;
    stickToBottom = fromBottom < 40;
    // Half a screen up: far enough that the newest are out of sight, near enough not to flicker.
    awayFromNewest.value = fromBottom > element.clientHeight / 2;
    if (stickToBottom) arrivedBelow.value = 0;
    reportSeen();
    const history = options.history();
    if (fromBottom < LOAD_OLDER_WITHIN_PX && history?.hasNewer && options.state() !== 'loading') {
      // What comes is put below, out of sight: the reader stays where they are.
      stickToBottom = false;
      pagingNewer = true;
      options.loadNewer();
    }
    if (element.scrollTop > LOAD_OLDER_WITHIN_PX || !options.history()?.hasOlder || options.state() === 'loading')
      return;
    // Keep the reader's place: after older messages are put above, shift by their height.
    const before = element.scrollHeight;
    options.loadOlder();
    await waitForUpdate();
    element.scrollTop += element.scrollHeight - before;
  }

  /** The newest message whose top is on screen is the one the reader has reached. */
  function reportSeen() {
    const element = scroller.value;
    if (!element || document.visibilityState !== 'visible') return;
    const bottom = element.getBoundingClientRect().bottom;
    const items = element.querySelectorAll<HTMLElement>('[data-message-id]');
    for (let index = items.length - 1; index >= 0; index--) {
      const item = items[index]!;
      if (item.getBoundingClientRect().top < bottom) {
        options.seen(Number(item.dataset.messageId));
        return;
      }
    }
  }

  function waitForUpdate(): Promise<void> {
    return new Promise((resolve) => {
      const stop = watch(
        () => options.history()?.messages[0]?.id,
        () => {
          stop();
          nextTick(resolve);
        },
      );
      setTimeout(() => {
        stop();
        resolve();
      }, 5000);
    });
  }

  watch(
    () => options.history()?.messages.at(-1)?.id,
    async (newestId, previousId) => {
      // The reader's own message was just sent: they want to see it, wherever they had scrolled to.
      const newest = options.history()?.messages.at(-1);
      // Only a newer message arrives: a history opened around an older one, or paged on, does not.
      const arrived = !pagingNewer && newestId !== undefined && previousId !== undefined && newestId > previousId;
      pagingNewer = false;
      if (newest?.author_id === options.readerId() && arrived) stickToBottom = true;
      else if (newest && !stickToBottom && arrived) arrivedBelow.value += 1;
      await nextTick();
      if (stickToBottom && !options.history()?.hasNewer && scroller.value)
        scroller.value.scrollTop = scroller.value.scrollHeight;
      reportSeen();
      fillScreen();
    },
  );

  function jumpToNewest() {
    if (options.history()?.hasNewer) {
      stickToBottom = true;
      options.showNewest();
      return;
    }
    const element = scroller.value;
    if (!element) return;
    element.scrollTo({ top: element.scrollHeight, behavior: 'smooth' });
  }

  /** A first page shorter than the screen cannot be scrolled up: fetch older ones until it fills. */
  function fillScreen() {
    const element = scroller.value;
    if (
      element &&
      element.scrollHeight <= element.clientHeight &&
      options.history()?.hasOlder &&
      options.state() !== 'loading'
    ) {
      options.loadOlder();
    }
  }

  watch(
    () => options.history()?.messages[0]?.id,
    () => nextTick(fillScreen),
  );

  onMounted(() => {
    // A history opened around an older message is shown at that message (see `focus`).
    if (scroller.value && !options.history()?.hasNewer) scroller.value.scrollTop = scroller.value.scrollHeight;
    reportSeen();
  });

  return {
    awayFromNewest,
    arrivedBelow,
    onScroll,
    jumpToNewest,
    /** The reader was taken to a message (a search result): new ones no longer pull them down. */
    stopFollowing: () => {
      stickToBottom = false;
    },
  };
}
