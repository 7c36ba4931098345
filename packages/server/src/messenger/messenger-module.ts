import type { FeatureModule } from '../modules/feature-module.ts';
import { createMessenger, type Messenger, type MessengerDependencies } from './messenger.ts';
import { messengerMethods } from './messenger-methods.ts';

export interface MessengerServices {
  /** Chats, messages, read positions, counters and notifications (`im.*`). */
  messenger: Messenger;
}

export function createMessengerModule(deps: MessengerDependencies): FeatureModule<MessengerServices> {
  const messenger = createMessenger(deps);
  return { name: 'messenger', services: { messenger }, methods: messengerMethods(messenger) };
}
