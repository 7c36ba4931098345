import { BridgeCallError, type BridgeResult, callBridge } from '@portaldesk/protocol';
import { reactive } from 'vue';

export type AccountSummary = BridgeResult<'accounts.list'>['accounts'][number];

type Bridge = typeof callBridge;

/** How often the list asks the main process for counts (it has no push to the window). */
const REFRESH_MS = 1_500;

/**
 * The accounts window's state: the accounts in the user's order with their unread counts, and
 * what the user can do to each. Every change goes to the main process, then the list reloads.
 */
export function createAccountList(bridge: Bridge = callBridge) {
  const state = reactive({
    accounts: [] as AccountSummary[],
    doNotDisturb: false,
    closeToTray: true,
    startOnLogin: false,
    error: '',
    /** The account whose removal waits for a second click. */
    confirmRemove: '',
  });
  let timer: ReturnType<typeof setInterval> | undefined;

  async function run(action: () => Promise<unknown>): Promise<void> {
    try {
      state.error = '';
      await action();
      await reload();
    } catch (error) {
      state.error = error instanceof BridgeCallError ? error.message : 'Something went wrong.';
    }
  }

  async function reload(): Promise<void> {
    const [list, settings] = await Promise.all([bridge('accounts.list', {}), bridge('settings.get', {})]);
    state.accounts = list.accounts;
    Object.assign(state, settings);
  }

  function move(accountId: string, by: -1 | 1): Promise<void> {
    const ids = state.accounts.map((a) => a.id);
    const from = ids.indexOf(accountId);
    const to = from + by;
    if (from < 0 || to < 0 || to >= ids.length) return Promise.resolve();
    ids.splice(to, 0, ...ids.splice(from, 1));
    return run(() => bridge('accounts.reorder', { accountIds: ids }));
  }

  function onKey(event: KeyboardEvent): void {
    if (!event.ctrlKey || event.altKey || event.shiftKey || event.metaKey) return;
    const account = state.accounts[Number.parseInt(event.key, 10) - 1];
    if (!account) return;
    event.preventDefault();
    void run(() => bridge('accounts.switch', { accountId: account.id }));
  }

  return {
    state,
    start: async () => {
      await run(async () => undefined);
      timer = setInterval(() => void reload().catch(() => undefined), REFRESH_MS);
      window.addEventListener('keydown', onKey);
    },
    stop: () => {
      clearInterval(timer);
      window.removeEventListener('keydown', onKey);
    },
    switchTo: (accountId: string) => run(() => bridge('accounts.switch', { accountId })),
    add: () => run(() => bridge('accounts.add', {})),
    moveUp: (accountId: string) => move(accountId, -1),
    moveDown: (accountId: string) => move(accountId, 1),
    toggleMute: (account: AccountSummary) =>
      run(() => bridge('accounts.setMuted', { accountId: account.id, muted: !account.muted })),
    toggleSound: (account: AccountSummary) =>
      run(() => bridge('accounts.setNotifications', { accountId: account.id, sound: !account.notifications.sound })),
    togglePreview: (account: AccountSummary) =>
      run(() =>
        bridge('accounts.setNotifications', { accountId: account.id, preview: !account.notifications.preview }),
      ),
    signOut: (accountId: string) => run(() => bridge('accounts.signOut', { accountId })),
    remove: (accountId: string) => {
      if (state.confirmRemove !== accountId) {
        state.confirmRemove = accountId;
        return Promise.resolve();
      }
      state.confirmRemove = '';
      return run(() => bridge('accounts.remove', { accountId }));
    },
    signInAgain(accountId: string) {
      return run(() => bridge('accounts.signInAgain', { accountId }));
    },
    initialsOf,
    connectionLabel: CONNECTION_LABEL,
    toggleDoNotDisturb: () => run(() => bridge('settings.update', { doNotDisturb: !state.doNotDisturb })),
    toggleCloseToTray: () => run(() => bridge('settings.update', { closeToTray: !state.closeToTray })),
    toggleStartOnLogin: () => run(() => bridge('settings.update', { startOnLogin: !state.startOnLogin })),
  };
}

const CONNECTION_LABEL: Record<AccountSummary['connection'], string> = {
  connecting: 'Connecting…',
  online: 'Connected',
  offline: 'Offline, retrying',
  'needs-password': 'Signed out',
};

/** The letters shown where an account has no picture. */
export function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase();
}
