import { ref } from 'vue';
import type { RestCaller } from '../../rest/rest-client.ts';
import {
  hasOwnReaction,
  type ReactionChip,
  type ReactionsByMessage,
  type ReactionsOfPage,
  ReactionsOfPageSchema,
  reactionChips,
  reactionEvent,
  withMessageReactions,
  withOwnReaction,
  withPageReactions,
} from './reaction-state.ts';

/**
 * The reactions the reader sees and puts: kept from history pages and realtime commands, and
 * changed with `im.v2.Chat.Message.Reaction.add/delete`. A change shows at once and is taken
 * back if the portal refuses it.
 */
export function createReactionStore(rest: RestCaller, readerId: number) {
  const byMessage = ref<ReactionsByMessage>({});
  const names = ref<Record<number, string>>({});
  /** Said under the composer when a reaction could not be changed. */
  const error = ref('');

  function learnNames(users: ReactionsOfPage['usersShort']) {
    for (const user of users) if (user.name) names.value[user.id] = user.name;
  }

  /** A history page (or anything shaped like one) arrived: its messages' reactions are known. */
  function absorb(page: unknown): void {
    const parsed = ReactionsOfPageSchema.safeParse(page);
    if (!parsed.success) return;
    learnNames(parsed.data.usersShort);
    byMessage.value = withPageReactions(byMessage.value, parsed.data);
  }

  /** An `addReaction` / `deleteReaction` command; false for any other command. */
  function handlePull(command: string, params: unknown): boolean {
    const event = reactionEvent(command, params);
    if (!event) return false;
    learnNames(event.actualReactions.usersShort);
    const { messageId, reactionUsers } = event.actualReactions.reaction;
    byMessage.value = withMessageReactions(byMessage.value, messageId, reactionUsers);
    return true;
  }

  /** Puts the reader's `code` on the message, or takes it off when it is there. */
  async function toggle(messageId: number, code: string): Promise<void> {
    const on = !hasOwnReaction(byMessage.value, messageId, code, readerId);
    const before = byMessage.value[messageId];
    byMessage.value = withOwnReaction(byMessage.value, messageId, code, readerId, on);
    error.value = '';
    try {
      await rest.call(`im.v2.Chat.Message.Reaction.${on ? 'add' : 'delete'}`, { messageId, reaction: code });
    } catch {
      byMessage.value = withMessageReactions(byMessage.value, messageId, before ?? {});
      error.value = 'The reaction could not be changed. Try again.';
    }
  }

  function chips(messageId: number): ReactionChip[] {
    return reactionChips(byMessage.value[messageId], readerId, names.value);
  }

  return { byMessage, error, absorb, handlePull, toggle, chips };
}

export type ReactionStore = ReturnType<typeof createReactionStore>;
