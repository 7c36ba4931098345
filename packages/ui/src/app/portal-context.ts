import { browserFetch } from '@portaldesk/client';
import { type InjectionKey, inject, type Ref, ref } from 'vue';
import { RestClient } from '../rest/rest-client.ts';
import { type PortalSession, SessionStore } from '../session/portal-session.ts';

/** What every screen of an entry point shares: who is signed in and the REST client for them. */
export interface PortalContext {
  session: Ref<PortalSession | null>;
  rest: RestClient;
  signedIn(session: PortalSession): void;
  /** Ends the session on the portal too, then forgets it here. */
  signOut(): Promise<void>;
}

export const PORTAL_CONTEXT: InjectionKey<PortalContext> = Symbol('portal-context');

export function createPortalContext(storage: Storage | null = safeSessionStorage()): PortalContext {
  const store = new SessionStore(storage);
  const session = ref<PortalSession | null>(store.load());
  const forget = () => {
    store.clear();
    session.value = null;
  };
  const rest = new RestClient({
    fetch: browserFetch,
    sessid: () => session.value?.sessid ?? null,
    // The session ended on the server (expired, revoked): back to the sign-in form.
    onUnauthorized: forget,
  });
  return {
    session,
    rest,
    signedIn(next) {
      store.save(next);
      session.value = next;
    },
    async signOut() {
      // Even if the portal cannot be reached now, this tab forgets the session.
      await rest.call('portaldesk.session.logout').catch(() => {});
      forget();
    },
  };
}

export function usePortalContext(): PortalContext {
  const context = inject(PORTAL_CONTEXT);
  if (!context) throw new Error('PortalContext is not provided');
  return context;
}

/** Storage can be refused (privacy settings); the session then lives in memory only. */
function safeSessionStorage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}
