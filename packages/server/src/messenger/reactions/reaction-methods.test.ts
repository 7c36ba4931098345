import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ImDialogMessages, ImReactionEventParams, ImReactionsView } from '@portaldesk/protocol';
import { type MessengerTestKit, startMessengerTestKit, type TestUser } from '../testing/messenger-test-kit.ts';

let kit: MessengerTestKit;
before(async () => {
  kit = await startMessengerTestKit();
});
after(() => kit.close());

const send = async (from: TestUser, dialogId: string | number, text: string) =>
  (await kit.call(from, 'im.message.add', { DIALOG_ID: dialogId, MESSAGE: text })).result as number;
const history = async (user: TestUser, dialogId: string | number) =>
  (await kit.call(user, 'im.dialog.messages.get', { DIALOG_ID: dialogId })).result as ImDialogMessages & {
    reactions: ImReactionsView[];
    usersShort: { id: number; name: string }[];
  };
const react = (user: TestUser, messageId: number, reaction: string, change: 'add' | 'delete' = 'add') =>
  kit.call(user, `im.v2.Chat.Message.Reaction.${change}`, { messageId, reaction });

describe('emoji reactions (im.v2.Chat.Message.Reaction.add/delete)', () => {
  test('counts and who reacted come back with the history, each viewer with their own', async () => {
    const { alice, bob, carol } = kit;
    const chatId = (await kit.call(alice, 'im.chat.add', { USERS: [bob.id, carol.id], TITLE: 'Reactions' })).result;
    const id = await send(alice, `chat${chatId}`, 'We shipped it');
    await react(bob, id, 'fire');
    await react(carol, id, 'fire');
    await react(carol, id, 'partyingFace');

    const seenByBob = await history(bob, `chat${chatId}`);
    const reactions = seenByBob.reactions.find((r) => r.messageId === id);
    assert.deepEqual(reactions?.reactionCounters, { fire: 2, partyingFace: 1 });
    assert.deepEqual(reactions?.reactionUsers, { fire: [bob.id, carol.id], partyingFace: [carol.id] });
    assert.deepEqual(reactions?.ownReactions, ['fire']);
    assert.deepEqual(seenByBob.usersShort.map((u) => u.name).sort(), [bob.name, carol.name].sort());
    const seenByAlice = await history(alice, `chat${chatId}`);
    assert.deepEqual(seenByAlice.reactions.find((r) => r.messageId === id)?.ownReactions, []);

    await react(carol, id, 'fire', 'delete');
    const after = (await history(alice, `chat${chatId}`)).reactions.find((r) => r.messageId === id);
    assert.deepEqual(after?.reactionCounters, { fire: 1, partyingFace: 1 });
  });

  test('every member hears of a change live, with the reactions as they are now', async () => {
    const { alice, bob } = kit;
    const id = await send(alice, bob.id, 'Coffee?');
    const [aliceMark, bobMark] = [await kit.mark(alice), await kit.mark(bob)];
    await react(bob, id, 'redHeart');
    const [toAlice] = await kit.eventsSince(alice, aliceMark);
    const [toBob] = await kit.eventsSince(bob, bobMark);
    assert.equal(toAlice?.command, 'addReaction');
    const params = toAlice?.params as unknown as ImReactionEventParams;
    assert.equal(params.dialogId, bob.id, "Alice's dialog is Bob");
    assert.equal(
      ((toBob?.params ?? {}) as unknown as ImReactionEventParams).dialogId,
      alice.id,
      "Bob's dialog is Alice",
    );
    assert.equal(params.userId, bob.id);
    assert.equal(params.reaction, 'redHeart');
    assert.deepEqual(params.actualReactions.reaction, {
      messageId: id,
      reactionCounters: { redHeart: 1 },
      reactionUsers: { redHeart: [bob.id] },
    });
    assert.deepEqual(
      params.actualReactions.usersShort.map((u) => u.id),
      [bob.id],
    );

    const mark = await kit.mark(alice);
    await react(bob, id, 'redHeart', 'delete');
    const [removed] = await kit.eventsSince(alice, mark);
    assert.equal(removed?.command, 'deleteReaction');
    assert.deepEqual(
      ((removed?.params ?? {}) as unknown as ImReactionEventParams).actualReactions.reaction.reactionCounters,
      {},
    );
  });

  test('the documented errors: unknown reaction, set twice, removed when not set; nothing changes', async () => {
    const { alice, bob } = kit;
    const id = await send(alice, bob.id, 'Errors ahead');
    assert.deepEqual(await kit.fail(bob, 'im.v2.Chat.Message.Reaction.add', { messageId: id, reaction: 'unicorn' }), {
      code: 'REACTION_NOT_FOUND',
      status: 400,
    });
    assert.equal(
      (await kit.fail(bob, 'im.v2.Chat.Message.Reaction.add', { messageId: id })).code,
      'REACTION_NOT_FOUND',
    );
    assert.equal(
      (await kit.fail(bob, 'im.v2.Chat.Message.Reaction.add', { messageId: 'x', reaction: 'like' })).code,
      'MESSAGE_ID_ERROR',
    );
    await react(bob, id, 'eyes');
    assert.equal(
      (await kit.fail(bob, 'im.v2.Chat.Message.Reaction.add', { messageId: id, reaction: 'eyes' })).code,
      'REACTION_ALREADY_SET',
    );
    assert.equal(
      (await kit.fail(bob, 'im.v2.Chat.Message.Reaction.delete', { messageId: id, reaction: 'okHand' })).code,
      'REACTION_NOT_FOUND',
    );
    const reactions = (await history(alice, bob.id)).reactions.find((r) => r.messageId === id);
    assert.deepEqual(reactions?.reactionCounters, { eyes: 1 });
  });

  test('a non-member cannot react, in this portal or another; a deleted message takes no reaction', async () => {
    const { alice, bob, carol, dave } = kit;
    const id = await send(alice, bob.id, 'Between us');
    for (const outsider of [carol, dave]) {
      assert.deepEqual(
        await kit.fail(outsider, 'im.v2.Chat.Message.Reaction.add', { messageId: id, reaction: 'like' }),
        {
          code: 'ACCESS_DENIED',
          status: 403,
        },
      );
      assert.deepEqual(await kit.fail(outsider, 'im.message.like', { MESSAGE_ID: id }), {
        code: 'ACCESS_ERROR',
        status: 403,
      });
    }
    assert.deepEqual(
      (await history(alice, bob.id)).reactions.find((r) => r.messageId === id),
      undefined,
    );
    await kit.call(alice, 'im.message.delete', { MESSAGE_ID: id });
    assert.equal(
      (await kit.fail(bob, 'im.v2.Chat.Message.Reaction.add', { messageId: id, reaction: 'like' })).code,
      'ACCESS_DENIED',
    );
  });
});

describe('im.message.like', () => {
  test('plus, minus and auto set and remove the like, which the history shows in params.LIKE', async () => {
    const { alice, bob } = kit;
    const id = await send(alice, bob.id, 'Like me');
    const paramsOf = async () =>
      ((await history(alice, bob.id)).messages.find((m) => m.id === id)?.params ?? {}) as Record<string, unknown>;
    const likes = async () => (await paramsOf()).LIKE;
    assert.deepEqual((await kit.call(bob, 'im.message.like', { MESSAGE_ID: id, ACTION: 'plus' })).result, true);
    assert.deepEqual(await likes(), [bob.id]);
    assert.equal((await kit.fail(bob, 'im.message.like', { MESSAGE_ID: id, ACTION: 'plus' })).code, 'WITHOUT_CHANGES');
    await kit.call(bob, 'im.message.like', { MESSAGE_ID: id, ACTION: 'minus' });
    assert.equal(await likes(), undefined);
    assert.equal((await kit.fail(bob, 'im.message.like', { MESSAGE_ID: id, ACTION: 'minus' })).code, 'WITHOUT_CHANGES');
    await kit.call(bob, 'im.message.like', { MESSAGE_ID: id });
    await kit.call(alice, 'im.message.like', { MESSAGE_ID: id, ACTION: 'auto' });
    assert.deepEqual(await likes(), [bob.id, alice.id]);
    await kit.call(bob, 'im.message.like', { MESSAGE_ID: id, ACTION: 'auto' });
    assert.deepEqual(await likes(), [alice.id]);
    // A like is the `like` reaction: the emoji methods see it too.
    assert.equal(
      (await kit.fail(alice, 'im.v2.Chat.Message.Reaction.add', { messageId: id, reaction: 'like' })).code,
      'REACTION_ALREADY_SET',
    );
  });

  test('bad input gets a clear error', async () => {
    const { alice, bob } = kit;
    const id = await send(alice, bob.id, 'Bad likes');
    assert.deepEqual(await kit.fail(bob, 'im.message.like', {}), { code: 'MESSAGE_ID_ERROR', status: 400 });
    assert.equal((await kit.fail(bob, 'im.message.like', { MESSAGE_ID: id, ACTION: 'love' })).code, 'PARAMS_ERROR');
  });
});
