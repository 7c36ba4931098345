import { z } from 'zod';

/**
 * Message reactions. `im.message.like` is documented for users (`ACTION` plus / minus / auto).
 * The emoji reactions are documented for bots (`imbot.v2.Chat.Message.Reaction.add/delete`,
 * `messageId` and a `reaction` code); users get the same under `im.v2.Chat.Message.Reaction.*`
 * (ours: the docs name no user method). How a message's reactions read (`reactions`,
 * `usersShort`) is documented in `im.dialog.messages.search`'s result.
 */
const loose = z.unknown().optional();

export const imMessageLikeParams = z.looseObject({ MESSAGE_ID: loose, ACTION: loose });
export const imMessageReactionParams = z.looseObject({ messageId: loose, reaction: loose });

/** The reaction codes the docs list (imbot.v2.Chat.Message.Reaction.add), with their emoji. */
export const REACTION_EMOJI = {
  like: '👍',
  dislike: '👎',
  faceWithTearsOfJoy: '😂',
  redHeart: '❤️',
  neutralFace: '😐',
  fire: '🔥',
  cry: '😢',
  slightlySmilingFace: '🙂',
  winkingFace: '😉',
  laugh: '😆',
  kiss: '😘',
  wonder: '😲',
  slightlyFrowningFace: '🙁',
  loudlyCryingFace: '😭',
  faceWithStuckOutTongue: '😛',
  faceWithStuckOutTongueAndWinkingEye: '😜',
  smilingFaceWithSunglasses: '😎',
  confusedFace: '😕',
  flushedFace: '😳',
  thinkingFace: '🤔',
  angry: '😠',
  smilingFaceWithHorns: '😈',
  faceWithThermometer: '🤒',
  facepalm: '🤦',
  poo: '💩',
  flexedBiceps: '💪',
  clappingHands: '👏',
  raisedHand: '✋',
  smilingFaceWithHeartEyes: '😍',
  smilingFaceWithHearts: '🥰',
  pleadingFace: '🥺',
  relievedFace: '😌',
  foldedHands: '🙏',
  okHand: '👌',
  signHorns: '🤘',
  loveYouGesture: '🤟',
  clownFace: '🤡',
  partyingFace: '🥳',
  questionMark: '❓',
  exclamationMark: '❗',
  lightBulb: '💡',
  bomb: '💣',
  sleepingSymbol: '💤',
  crossMark: '❌',
  whiteHeavyCheckMark: '✅',
  eyes: '👀',
  handshake: '🤝',
  hundredPoints: '💯',
} as const;

export type ReactionCode = keyof typeof REACTION_EMOJI;

export function isReactionCode(value: unknown): value is ReactionCode {
  return typeof value === 'string' && Object.hasOwn(REACTION_EMOJI, value);
}

/** One message's reactions, as the docs shape them. */
export interface ImReactionsView {
  messageId: number;
  reactionCounters: Record<string, number>;
  reactionUsers: Record<string, number[]>;
  ownReactions: string[];
}

/** Who reacted, in brief (`usersShort`). */
export interface ImReactionUserShort {
  id: number;
  name: string;
  avatar: string;
}

/** `addReaction` and `deleteReaction` realtime params (the message's reactions after the change). */
export interface ImReactionEventParams {
  dialogId: number | string;
  chatId: number;
  userId: number;
  reaction: string;
  actualReactions: {
    reaction: Omit<ImReactionsView, 'ownReactions'>;
    usersShort: ImReactionUserShort[];
  };
}
