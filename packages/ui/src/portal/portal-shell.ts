import { type ComputedRef, type InjectionKey, inject, type Ref } from 'vue';
import type { MessengerStore } from '../messenger/messenger-store.ts';
import type { PortalProfile } from './portal-profile.ts';

/** What the shell gives its pages: the session's messenger and who is signed in. */
export interface PortalShell {
  messenger: ComputedRef<MessengerStore | null>;
  profile: Ref<PortalProfile | null>;
}

export const PORTAL_SHELL: InjectionKey<PortalShell> = Symbol('portal-shell');

export function usePortalShell(): PortalShell {
  const shell = inject(PORTAL_SHELL);
  if (!shell) throw new Error('The portal shell is not provided');
  return shell;
}
