import { type Ref, ref } from 'vue';
import type { LoadState } from '../messenger/messenger-store.ts';
import type { AccountSecurityApi } from './account-security-api.ts';
import { accountSecurityFailureMessage } from './account-security-messages.ts';

/** A list the page loads from the portal and changes item by item (sessions, app passwords). */
export interface RemoteList<T> {
  items: Ref<T[]>;
  state: Ref<LoadState>;
  /** The id of the item being changed, if any. */
  busy: Ref<string | number | null>;
  /** What went wrong with the last change, for an alert. */
  error: Ref<string>;
  load(): Promise<void>;
  /** Runs a change for one item (or `'all'`), then reloads the list. */
  change(id: string | number, action: () => Promise<unknown>): Promise<boolean>;
}

export function useRemoteList<T>(fetchAll: () => Promise<T[]>): RemoteList<T> {
  const items = ref<T[]>([]) as Ref<T[]>;
  const state = ref<LoadState>('idle');
  const busy = ref<string | number | null>(null);
  const error = ref('');
  async function load() {
    if (state.value !== 'ready') state.value = 'loading';
    try {
      items.value = await fetchAll();
      state.value = 'ready';
    } catch {
      state.value = 'error';
    }
  }
  async function change(id: string | number, action: () => Promise<unknown>) {
    if (busy.value !== null) return false;
    busy.value = id;
    error.value = '';
    let done = true;
    try {
      await action();
    } catch (failure) {
      error.value = accountSecurityFailureMessage(failure);
      done = false;
    }
    await load();
    busy.value = null;
    return done;
  }
  return { items, state, busy, error, load, change };
}

export const useSessionList = (api: AccountSecurityApi) => useRemoteList(() => api.sessions());
export const useAppPasswordList = (api: AccountSecurityApi) => useRemoteList(() => api.appPasswords());
