import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reactionChips, reactionEvent, withOwnReaction, withPageReactions } from './reaction-state.ts';

test('a page’s reactions become chips in the order given, the reader’s own marked, with who put them', () => {
  const state = withPageReactions(
    {},
    {
      reactions: [{ messageId: 7, reactionUsers: { fire: [2, 1], like: [3], unknownCode: [2] } }],
      usersShort: [],
    },
  );
  assert.deepEqual(reactionChips(state[7], 1, { 2: 'Bob Burns' }), [
    { code: 'fire', emoji: '🔥', count: 2, mine: true, who: 'Bob Burns, you' },
    { code: 'like', emoji: '👍', count: 1, mine: false, who: 'a colleague' },
  ]);
});

test('the reader’s own reaction goes on and off at once; an emptied reaction leaves no chip', () => {
  let state = withOwnReaction({}, 9, 'eyes', 1, true);
  assert.deepEqual(state[9], { eyes: [1] });
  state = withOwnReaction(state, 9, 'eyes', 1, false);
  assert.deepEqual(reactionChips(state[9], 1, {}), []);
});

test('only addReaction and deleteReaction with well-formed params are reaction events', () => {
  const params = {
    userId: 2,
    reaction: 'like',
    actualReactions: { reaction: { messageId: 5, reactionUsers: { like: [2] } }, usersShort: [{ id: 2, name: 'Bob' }] },
  };
  assert.equal(reactionEvent('addReaction', params)?.actualReactions.reaction.messageId, 5);
  assert.equal(reactionEvent('deleteReaction', params)?.reaction, 'like');
  assert.equal(reactionEvent('messageChat', params), null);
  assert.equal(reactionEvent('addReaction', { reaction: 'like' }), null);
});
