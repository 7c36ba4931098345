import { type Ref, ref } from 'vue';
import type { GroupChatApi, PortalUser } from '../api/group-chat-api.ts';
import { matchesSearch } from '../state/name-search.ts';

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

/** The colleagues a picker lists: all but `exclude`, narrowed by name or position. */
export function colleaguesMatching(
  users: readonly PortalUser[],
  filter: string,
  exclude: readonly number[],
): PortalUser[] {
  return users.filter((user) => !exclude.includes(user.id) && matchesSearch(`${user.name} ${user.position}`, filter));
}
