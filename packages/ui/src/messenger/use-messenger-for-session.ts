import { USER_STATUS_EVENT } from '@portaldesk/protocol';
import { type ComputedRef, computed, onScopeDispose, watch } from 'vue';
import type { PortalContext } from '../app/portal-context.ts';
import { MessengerApi } from './api/messenger-api.ts';
import { dialogFromAddress } from './dialog-from-address.ts';
import { createMessengerStore, type MessengerStore } from './messenger-store.ts';
import { PullClient } from './realtime/pull-client.ts';

/**
 * A messenger store for whoever is signed in, with its realtime connection; replaced when the
 * user changes, none when signed out.
 */
export function useMessengerForSession(context: PortalContext): ComputedRef<MessengerStore | null> {
  const api = new MessengerApi(context.rest);
  const store = computed(() => {
    const session = context.session.value;
    return session ? createMessengerStore(api, session.userId) : null;
  });
  let pull: PullClient | null = null;
  watch(
    store,
    (current) => {
      pull?.stop();
      pull = null;
      const requested = current && typeof location !== 'undefined' ? dialogFromAddress(location.search) : null;
      if (current && requested) void current.open(requested);
      if (!current || typeof WebSocket === 'undefined') return;
      pull = new PullClient({
        rest: context.rest,
        pageOrigin: location.origin,
        onEvent: (event) => {
          if (event.moduleId === 'im' || event.moduleId === USER_STATUS_EVENT.moduleId) {
            current.handlePull(event.command, event.params);
          }
        },
        onResync: () => {
          void current.loadRecent();
          void current.notifications.load();
        },
      });
      pull.start();
    },
    { immediate: true },
  );
  onScopeDispose(() => pull?.stop());
  return store;
}
