import type { ChatAccount } from '@portaldesk/protocol/desktop-bridge/bridge-channels';
import { callBridge } from '@portaldesk/protocol/desktop-bridge/bridge-client';
import { onBridgeEvent } from '@portaldesk/protocol/desktop-bridge/bridge-events';
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
    document.title = next ? `Chats — ${next.userDisplayName} · ${next.portalTitle}` : 'Chats — Portaldesk';
    void reloadAccounts();
  }

  function signedOut(): boolean {
    return accounts.value.find((a) => a.id === account.value?.id)?.connection === 'needs-password';
  }

  async function reloadAccounts(): Promise<void> {
    try {
      const wasSignedOut = signedOut();
      accounts.value = (await bridge('accounts.list', {})).accounts;
      // Signed in again: what failed to load while it was signed out loads now.
      if (wasSignedOut && !signedOut()) void store.value?.loadRecent();
    } catch {
      // The rail keeps what it had; the next refresh tries again.
    }
  }

  function openDialog(accountId: string, dialogId: string): void {
    if (store.value && account.value?.id === accountId) void store.value.open(dialogId);
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
        if (accountId === account.value?.id) void store.value?.loadRecent();
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
    start,
    stop,
    showAccount,
    addAccount: () => void bridge('accounts.add', {}).catch(() => undefined),
    signInAgain: (accountId: string) => void bridge('accounts.signInAgain', { accountId }).catch(() => undefined),
  };
}
