import { imMessageLikeParams, imMessageReactionParams, isReactionCode, type ReactionCode } from '@portaldesk/protocol';
import type { RestError } from '../../rest/rest-error.ts';
import { type RestMethod, restMethod } from '../../rest/rest-method.ts';
import type { Messenger } from '../messenger.ts';
import { imError } from '../messenger-error.ts';
import { readId } from '../param-readers.ts';
import { ReactionRefused } from './message-reactions.ts';

const LIKE: ReactionCode = 'like';

/**
 * `im.message.like` (documented: ACTION `plus`, `minus` or `auto`) and the emoji reactions
 * `im.v2.Chat.Message.Reaction.add/delete` (ours for users, shaped as the documented
 * `imbot.v2.Chat.Message.Reaction.*` for bots: `messageId`, `reaction`, and their error codes).
 */
export function reactionMethods(messenger: Messenger): RestMethod[] {
  const { reactions } = messenger;
  return [
    restMethod({
      name: 'im.message.like',
      scope: 'im',
      readOnly: false,
      params: imMessageLikeParams,
      handle: async ({ auth, params }) => {
        const messageId = readId(params.MESSAGE_ID);
        if (messageId === null) throw imError('MESSAGE_ID_ERROR', "Message ID can't be empty");
        const action = readLikeAction(params.ACTION);
        const portalId = auth.portal.id;
        await refusalsAs(likeRefusal, async () => {
          const liked = action === 'auto' ? await reactions.has(portalId, auth.userId, messageId, LIKE) : null;
          if (action === 'plus' || liked === false) await reactions.add(portalId, auth.userId, messageId, LIKE);
          else await reactions.remove(portalId, auth.userId, messageId, LIKE);
        });
        return { result: true };
      },
    }),
    restMethod({
      name: 'im.v2.Chat.Message.Reaction.add',
      scope: 'im',
      readOnly: false,
      params: imMessageReactionParams,
      handle: async ({ auth, params }) => {
        const { messageId, reaction } = readReaction(params);
        await refusalsAs(reactionRefusal, () => reactions.add(auth.portal.id, auth.userId, messageId, reaction));
        return { result: true };
      },
    }),
    restMethod({
      name: 'im.v2.Chat.Message.Reaction.delete',
      scope: 'im',
      readOnly: false,
      params: imMessageReactionParams,
      handle: async ({ auth, params }) => {
        const { messageId, reaction } = readReaction(params);
        await refusalsAs(reactionRefusal, () => reactions.remove(auth.portal.id, auth.userId, messageId, reaction));
        return { result: true };
      },
    }),
  ];
}

function readLikeAction(value: unknown): 'plus' | 'minus' | 'auto' {
  if (value === undefined || value === null || value === '') return 'auto';
  const action = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (action === 'plus' || action === 'minus' || action === 'auto') return action;
  throw imError('PARAMS_ERROR', 'ACTION must be plus, minus or auto');
}

function readReaction(params: { messageId?: unknown; reaction?: unknown }) {
  const messageId = readId(params.messageId);
  if (messageId === null) throw imError('MESSAGE_ID_ERROR', 'messageId must be the id of a message');
  if (!isReactionCode(params.reaction)) throw imError('REACTION_NOT_FOUND', 'Reaction not found');
  return { messageId, reaction: params.reaction };
}

async function refusalsAs(answer: (refused: ReactionRefused) => RestError, work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    if (error instanceof ReactionRefused) throw answer(error);
    throw error;
  }
}

function likeRefusal({ reason }: ReactionRefused): RestError {
  if (reason === 'no-access') return imError('ACCESS_ERROR', 'You do not have access to this message');
  return imError('WITHOUT_CHANGES', 'Action completed without changes');
}

function reactionRefusal({ reason }: ReactionRefused): RestError {
  if (reason === 'no-access') return imError('ACCESS_DENIED', 'Access denied');
  if (reason === 'already-set') return imError('REACTION_ALREADY_SET', 'Reaction already set');
  return imError('REACTION_NOT_FOUND', 'Reaction not found on this message');
}
