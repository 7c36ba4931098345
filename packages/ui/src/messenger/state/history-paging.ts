import type { Ref } from 'vue';
import { HISTORY_PAGE_SIZE, type MessengerApi } from '../api/messenger-api.ts';
import type { DialogId, DialogUser } from '../api/messenger-schemas.ts';
import type { PresenceBook } from '../presence-book.ts';
import type { ReactionStore } from '../reactions/reaction-store.ts';
import {
  type DialogHistory,
  emptyHistory,
  historyAround,
  newestMessageId,
  oldestMessageId,
  withNewerPage,
  withOlderPage,
} from './dialog-history.ts';
import { type LoadState, loadStateFor } from './load-state.ts';

/** What paging through dialog histories reads and fills in of the messenger's state. */
export interface HistoryPagingState {
  api: MessengerApi;
  openDialogId: Ref<DialogId | null>;
  histories: Ref<Record<DialogId, DialogHistory>>;
  users: Ref<Record<number, DialogUser>>;
  historyState: Ref<LoadState>;
  presence: PresenceBook;
  reactions: ReactionStore;
  /** The message a search result led to, for the history to bring into view (`seq` repeats a jump). */
  focus: Ref<{ messageId: number; seq: number } | null>;
  /** Opens a dialog (its history loads from the newest when none is loaded). */
  open: (dialogId: DialogId) => Promise<void>;
}

/** Loading the open dialog's history page by page: older, newer, around a message, the newest. */
export function createHistoryPaging(state: HistoryPagingState) {
  const { api, openDialogId, histories, users, historyState, presence, reactions, focus } = state;

  async function loadOlder(): Promise<void> {
    const dialogId = openDialogId.value;
    if (!dialogId || historyState.value === 'loading') return;
    const history = histories.value[dialogId] ?? emptyHistory();
    if (!history.hasOlder) return;
    historyState.value = 'loading';
    try {
      const page = await api.history(dialogId, oldestMessageId(history));
      for (const user of page.users) users.value[user.id] = user;
      presence.note(page.users);
      reactions.absorb(page);
      histories.value[dialogId] = withOlderPage(history, page.messages, HISTORY_PAGE_SIZE);
      historyState.value = 'ready';
    } catch (error) {
      historyState.value = loadStateFor(error);
    }
  }

  /** Reads on from a history opened around an older message, towards the newest. */
  async function loadNewer(): Promise<void> {
    const dialogId = openDialogId.value;
    const history = dialogId ? histories.value[dialogId] : undefined;
    const newestId = history && newestMessageId(history);
    if (!dialogId || !history?.hasNewer || !newestId || historyState.value === 'loading') return;
    historyState.value = 'loading';
    try {
      const page = await api.newer(dialogId, newestId);
      for (const user of page.users) users.value[user.id] = user;
      reactions.absorb(page);
      histories.value[dialogId] = withNewerPage(history, page.messages, HISTORY_PAGE_SIZE);
      historyState.value = 'ready';
    } catch (error) {
      historyState.value = loadStateFor(error);
    }
  }

  /**
   * Opens a dialog at one of its messages (a search result): when it is not loaded, the history
   * is loaded around it instead of from the newest; the history then brings it into view.
   */
  async function jumpTo(dialogId: DialogId, messageId: number): Promise<void> {
    const loaded = histories.value[dialogId]?.messages.some((m) => m.id === messageId) ?? false;
    if (!loaded) {
      historyState.value = 'loading';
      try {
        const [older, newer] = await api.around(dialogId, messageId);
        for (const user of [...older.users, ...newer.users]) users.value[user.id] = user;
        reactions.absorb(older);
        reactions.absorb(newer);
        histories.value[dialogId] = historyAround(older.messages, newer.messages, HISTORY_PAGE_SIZE);
        historyState.value = 'ready';
      } catch (error) {
        historyState.value = loadStateFor(error);
      }
    }
    await state.open(dialogId);
    focus.value = { messageId, seq: (focus.value?.seq ?? 0) + 1 };
  }

  /** Leaves a history opened around an older message for the newest messages. */
  async function showNewest(): Promise<void> {
    const dialogId = openDialogId.value;
    if (!dialogId) return;
    delete histories.value[dialogId];
    await loadOlder();
  }

  return { loadOlder, loadNewer, jumpTo, showNewest };
}
