import { type ChatAccount, callBridge, NOTIFICATIONS_TARGET, onBridgeEvent } from '@portaldesk/protocol';
import { ref, shallowRef, watch } from 'vue';
import { MessengerApi } from '../../messenger/api/messenger-api.ts';
import { createMessengerStore, type MessengerStore } from '../../messenger/messenger-store.ts';
import type { AccountSummary } from '../accounts/account-list.ts';
import { bridgeFiles } from './bridge-files.ts';
import { bridgeRestCaller } from './bridge-rest-caller.ts';

/**
 * The chat window's state: the account it shows (always the app's active account), a messenger
 * store for it, and the other accounts with their counts. The main process says when the account
 * changes and when counts change, passes on that account's realtime events, and asks for a dialog
 * to be opened.
 */
export function createChatWindowSession(bridge: typeof callBridge = callBridge) {
  const account = shallowRef<ChatAccount | null>(null);
  const store = shallowRef<MessengerStore | null>(null);
  const accounts = ref<AccountSummary[]>([]);
  const state = ref<'loading' | 'ready' | 'error'>('loading');
  /** What the window shows for the account: its chats, or its portal notifications. */
  const panel = ref<'chats' | 'notifications'>('chats');
  const stops: (() => void)[] = [];

  /**
   * Tells the main process which dialog the person is reading, so that its messages raise no
   * notification while the window has focus.
   */
  function reportViewing(): void {
    const shown = account.value;
    if (!shown) return;
    const dialogId = store.value?.openDialogId.value ?? null;
    const focused = document.hasFocus() && document.visibilityState === 'visible';
    void bridge('chat.viewing', { accountId: shown.id, dialogId, focused }).catch(() => undefined);
  }

  function show(next: ChatAccount | null): void {
    const same = next !== null && next.id === account.value?.id && next.userId === account.value.userId;
    account.value = next;
    if (!same)
      store.value = next
        ? createMessengerStore(
            new MessengerApi(bridgeRestCaller(next.id, bridge), bridgeFiles(next.id, bridge)),
            next.userId,
          )
        : null;
    nameWindow(next);
    void reloadAccounts();
  }

  function nameWindow(shown: ChatAccount | null): void {
    document.title = shown ? `Chats — ${shown.userDisplayName} · ${shown.portalTitle}` : 'Chats — Portaldesk';
  }

  function signedOut(): boolean {
    return accounts.value.find((a) => a.id === account.value?.id)?.connection === 'needs-password';
  }

  async function reloadAccounts(): Promise<void> {
    try {
      const wasSignedOut = signedOut();
      accounts.value = (await bridge('accounts.list', {})).accounts;
      // The portal told its name since the window opened: the header and title follow.
      const shown = account.value;
      const listed = accounts.value.find((a) => a.id === shown?.id);
      if (shown && listed && listed.portalTitle !== shown.portalTitle) {
        account.value = { ...shown, portalTitle: listed.portalTitle };
        nameWindow(account.value);
      }
      // Signed in again: what failed to load while it was signed out loads now.
      if (wasSignedOut && !signedOut()) void store.value?.loadRecent();
    } catch {
      // The rail keeps what it had; the next refresh tries again.
    }
  }

  function openDialog(accountId: string, dialogId: string): void {
    if (!store.value || account.value?.id !== accountId) return;
    if (dialogId === NOTIFICATIONS_TARGET) {
      panel.value = 'notifications';
      return;
    }
    panel.value = 'chats';
    void store.value.open(dialogId);
  }

  async function start(query: URLSearchParams): Promise<void> {
    stops.push(
      onBridgeEvent('chat.account', ({ account: next }) => show(next)),
      onBridgeEvent('chat.push', ({ accountId, command, params }) => {
        if (accountId !== account.value?.id) return;
        store.value?.handlePull(command, params);
      }),
      onBridgeEvent('accounts.changed', () => void reloadAccounts()),
      onBridgeEvent('chat.resync', ({ accountId }) => {
        if (accountId !== account.value?.id) return;
        void store.value?.loadRecent();
        void store.value?.notifications.load();
      }),
      onBridgeEvent('chat.openDialog', ({ accountId, dialogId }) => openDialog(accountId, dialogId)),
    );
    window.addEventListener('keydown', onKey);
    for (const name of ['focus', 'blur'] as const) window.addEventListener(name, reportViewing);
    document.addEventListener('visibilitychange', reportViewing);
    stops.push(
      watch(() => [account.value?.id, store.value?.openDialogId.value], reportViewing),
      () => {
        for (const name of ['focus', 'blur'] as const) window.removeEventListener(name, reportViewing);
        document.removeEventListener('visibilitychange', reportViewing);
      },
    );
    try {
      show((await bridge('chat.account', {})).account);
      state.value = 'ready';
    } catch {
      state.value = 'error';
      return;
    }
    const requestedAccount = query.get('account');
    const requestedDialog = query.get('dialog');
    if (requestedAccount && requestedDialog) openDialog(requestedAccount, requestedDialog);
  }

  function stop(): void {
    for (const stopListening of stops.splice(0)) stopListening();
    window.removeEventListener('keydown', onKey);
  }

  function showAccount(accountId: string): void {
    if (accountId !== account.value?.id) void bridge('chat.showAccount', { accountId }).catch(() => undefined);
  }

  /** Ctrl+1…9: the n-th account, as in the account windows. */
  function onKey(event: KeyboardEvent): void {
    if (!event.ctrlKey || event.altKey || event.shiftKey || event.metaKey) return;
    const target = accounts.value[Number.parseInt(event.key, 10) - 1];
    if (!target) return;
    event.preventDefault();
    showAccount(target.id);
  }

  return {
    account,
    store,
    accounts,
    state,
    panel,
    start,
    stop,
    showAccount,
    addAccount: () => void bridge('accounts.add', {}).catch(() => undefined),
    signInAgain: (accountId: string) => void bridge('accounts.signInAgain', { accountId }).catch(() => undefined),
  };
}
