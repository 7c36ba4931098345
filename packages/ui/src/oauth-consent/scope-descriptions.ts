import ChatsIcon from '@bitrix24/b24icons-vue/outline/ChatsIcon';
import KeyIcon from '@bitrix24/b24icons-vue/outline/KeyIcon';
import PersonIcon from '@bitrix24/b24icons-vue/outline/PersonIcon';
import RefreshIcon from '@bitrix24/b24icons-vue/outline/RefreshIcon';
import type { Component } from 'vue';

export interface ScopeDescription {
  icon: Component;
  /** What an application with this scope may do, in the words of the person asked. */
  text: string;
}

const DESCRIPTIONS: Record<string, ScopeDescription> = {
  user: { icon: PersonIcon, text: 'See your profile and your colleagues’ profiles' },
  user_basic: { icon: PersonIcon, text: 'See your colleagues’ names and photos' },
  user_brief: { icon: PersonIcon, text: 'See your colleagues’ names, photos and positions' },
  im: { icon: ChatsIcon, text: 'Read your chats and notifications, and send messages as you' },
  pull: { icon: RefreshIcon, text: 'Receive your new messages and notifications as they arrive' },
};

/** A scope as the consent page lists it; one it does not know is named as it is. */
export function describeScope(scope: string): ScopeDescription {
  return DESCRIPTIONS[scope] ?? { icon: KeyIcon, text: `Use the portal’s “${scope}” methods as you` };
}
