import { type Ref, ref } from 'vue';
import type { GroupChatApi, PortalUser } from '../api/group-chat-api.ts';

/** The portal's colleagues for a picker, loaded when the picker opens. */
export function useColleagues(groups: GroupChatApi): { users: Ref<PortalUser[]>; state: Ref<string> } {
  const users = ref<PortalUser[]>([]);
  const state = ref<'loading' | 'ready' | 'error'>('loading');
  groups
    .colleagues()
    .then((list) => {
      users.value = list;
      state.value = 'ready';
    })
    .catch(() => {
      state.value = 'error';
    });
  return { users, state };
}
