import { REACTION_EMOJI, type ReactionCode } from '@portaldesk/protocol';
import { z } from 'zod';

/**
 * Reactions as the messenger screens keep them: for each message (ids are unique across chats),
 * who put which reaction. Filled from history pages (`reactions`, `usersShort`) and from the
 * `addReaction` / `deleteReaction` realtime commands, which carry a message's reactions as
 * they are after the change.
 */
export type ReactionUsers = Record<string, number[]>;
export type ReactionsByMessage = Record<number, ReactionUsers>;

const Id = z.coerce.number().int();

export const ReactionsSchema = z.looseObject({
  messageId: Id,
  reactionUsers: z.record(z.string(), z.array(Id)).catch({}),
});
export const UserShortSchema = z.looseObject({ id: Id, name: z.string().default('') });

/** The part of a history page (or search result) about reactions; absent parts mean none. */
export const ReactionsOfPageSchema = z.looseObject({
  reactions: z.array(ReactionsSchema).catch([]).default([]),
  usersShort: z.array(UserShortSchema).catch([]).default([]),
});
export type ReactionsOfPage = z.infer<typeof ReactionsOfPageSchema>;

const ReactionEventSchema = z.looseObject({
  userId: Id,
  reaction: z.string(),
  actualReactions: z.looseObject({
    reaction: ReactionsSchema,
    usersShort: z.array(UserShortSchema).catch([]).default([]),
  }),
});
export type ReactionEvent = z.infer<typeof ReactionEventSchema>;

/** An `addReaction` / `deleteReaction` command's params, or `null` for any other command. */
export function reactionEvent(command: string, params: unknown): ReactionEvent | null {
  if (command !== 'addReaction' && command !== 'deleteReaction') return null;
  const parsed = ReactionEventSchema.safeParse(params);
  return parsed.success ? parsed.data : null;
}

/** The messages of a page with their reactions as the page has them. */
export function withPageReactions(state: ReactionsByMessage, page: ReactionsOfPage): ReactionsByMessage {
  const next = { ...state };
  for (const reactions of page.reactions) next[reactions.messageId] = withoutEmpty(reactions.reactionUsers);
  return next;
}

/** One message's reactions replaced by what the server says they are now. */
export function withMessageReactions(state: ReactionsByMessage, messageId: number, users: ReactionUsers) {
  return { ...state, [messageId]: withoutEmpty(users) };
}

/** The reader's reaction put on (or taken off) a message, before the server answers. */
export function withOwnReaction(
  state: ReactionsByMessage,
  messageId: number,
  code: string,
  readerId: number,
  on: boolean,
): ReactionsByMessage {
  const current = state[messageId] ?? {};
  const others = (current[code] ?? []).filter((id) => id !== readerId);
  return withMessageReactions(state, messageId, { ...current, [code]: on ? [...others, readerId] : others });
}

export function hasOwnReaction(state: ReactionsByMessage, messageId: number, code: string, readerId: number) {
  return state[messageId]?.[code]?.includes(readerId) ?? false;
}

/** A reaction under a message: its emoji, how many, whether the reader is among them, and who. */
export interface ReactionChip {
  code: ReactionCode;
  emoji: string;
  count: number;
  mine: boolean;
  /** "Alice Archer, you" — for the chip's title. */
  who: string;
}

/** The chips under a message, in the order the reactions were first put; unknown codes are left out. */
export function reactionChips(
  users: ReactionUsers | undefined,
  readerId: number,
  names: Record<number, string>,
): ReactionChip[] {
  return Object.entries(users ?? {})
    .filter((entry): entry is [ReactionCode, number[]] => entry[0] in REACTION_EMOJI && entry[1].length > 0)
    .map(([code, ids]) => ({
      code,
      emoji: REACTION_EMOJI[code],
      count: ids.length,
      mine: ids.includes(readerId),
      who: ids.map((id) => (id === readerId ? 'you' : (names[id] ?? 'a colleague'))).join(', '),
    }));
}

function withoutEmpty(users: ReactionUsers): ReactionUsers {
  return Object.fromEntries(Object.entries(users).filter(([, ids]) => ids.length > 0));
}
