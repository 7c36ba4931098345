import { type ComputedRef, type InjectionKey, inject } from 'vue';
import type { MessengerStore } from '../messenger/messenger-store.ts';

export const MOBILE_MESSENGER: InjectionKey<ComputedRef<MessengerStore | null>> = Symbol('mobile-messenger');

export function useMobileMessenger(): ComputedRef<MessengerStore | null> {
  const messenger = inject(MOBILE_MESSENGER);
  if (!messenger) throw new Error('The mobile messenger is not provided');
  return messenger;
}
