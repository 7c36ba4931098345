import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ImRecentItem } from '@portaldesk/protocol';
import { commands, type MessengerTestKit, startMessengerTestKit } from '../testing/messenger-test-kit.ts';

let kit: MessengerTestKit;
let groupId: number;
before(async () => {
  kit = await startMessengerTestKit();
  const { alice, bob, carol } = kit;
  await kit.call(bob, 'im.message.add', { DIALOG_ID: alice.id, MESSAGE: 'oldest: from Bob' });
  groupId = (await kit.call(carol, 'im.chat.add', { USERS: [alice.id], TITLE: 'Team' })).result as number;
  await kit.call(carol, 'im.message.add', { DIALOG_ID: `chat${groupId}`, MESSAGE: 'team news' });
  await kit.call(carol, 'im.message.add', { DIALOG_ID: alice.id, MESSAGE: 'newest: from Carol' });
});
after(() => kit.close());

const recentOf = async (user: MessengerTestKit['alice']) =>
  (await kit.call(user, 'im.recent.get')).result as ImRecentItem[];

test('im.recent.pin keeps a dialog on top of that user’s list, in the order pinned, and tells their devices', async () => {
  const { alice, bob, carol } = kit;
  const mark = await kit.mark(alice);
  assert.equal((await kit.call(alice, 'im.recent.pin', { DIALOG_ID: bob.id })).result, true);
  await kit.call(alice, 'im.recent.pin', { DIALOG_ID: `chat${groupId}`, PIN: 'Y' });
  const items = await recentOf(alice);
  assert.deepEqual(
    items.map((i) => [i.id, i.pinned]),
    [
      [bob.id, true],
      [`chat${groupId}`, true],
      [carol.id, false],
    ],
  );
  const events = await kit.eventsSince(alice, mark);
  assert.deepEqual(commands(events), ['chatPin', 'chatPin']);
  assert.deepEqual(events[0]?.params, { dialogId: bob.id, active: true });
  // Only Alice's list changed.
  assert.equal(
    (await recentOf(carol)).some((i) => i.pinned),
    false,
  );

  await kit.call(alice, 'im.recent.pin', { DIALOG_ID: bob.id, PIN: 'N' });
  assert.deepEqual(
    (await recentOf(alice)).map((i) => i.id),
    [`chat${groupId}`, carol.id, bob.id],
  );
});

test('im.chat.mute marks the chat muted for that user only; it still counts', async () => {
  const { alice, carol } = kit;
  const mark = await kit.mark(alice);
  await kit.call(alice, 'im.chat.mute', { CHAT_ID: groupId, MUTE: 'Y' });
  const [event] = await kit.eventsSince(alice, mark);
  assert.equal(event?.command, 'chatMuteNotify');
  assert.equal(event?.params.muted, true);
  const team = (await recentOf(alice)).find((i) => i.id === `chat${groupId}`);
  assert.deepEqual(team?.chat?.mute_list, [alice.id]);
  await kit.call(carol, 'im.message.add', { DIALOG_ID: `chat${groupId}`, MESSAGE: 'while muted' });
  assert.equal((await recentOf(alice)).find((i) => i.id === `chat${groupId}`)?.counter, 2, 'still counted');
  assert.deepEqual((await recentOf(carol)).find((i) => i.id === `chat${groupId}`)?.chat?.mute_list, []);
  await kit.call(alice, 'im.chat.mute', { CHAT_ID: groupId, MUTE: 'N' });
  assert.deepEqual((await recentOf(alice)).find((i) => i.id === `chat${groupId}`)?.chat?.mute_list, []);
});

test('bad input and chats of others get the documented errors and change nothing', async () => {
  const { alice, bob, dave } = kit;
  assert.deepEqual(await kit.fail(alice, 'im.recent.pin', {}), { code: 'DIALOG_ID_EMPTY', status: 400 });
  assert.deepEqual(await kit.fail(alice, 'im.chat.mute', { MUTE: 'Y' }), { code: 'CHAT_ID_EMPTY', status: 400 });
  assert.deepEqual(await kit.fail(alice, 'im.chat.mute', { CHAT_ID: groupId, MUTE: 'maybe' }), {
    code: 'PARAMS_ERROR',
    status: 400,
  });
  // Bob is not in the chat; Dave is in another portal.
  assert.deepEqual(await kit.fail(bob, 'im.chat.mute', { CHAT_ID: groupId, MUTE: 'Y' }), {
    code: 'ACCESS_ERROR',
    status: 403,
  });
  assert.deepEqual(await kit.fail(dave, 'im.recent.pin', { DIALOG_ID: `chat${groupId}` }), {
    code: 'ACCESS_ERROR',
    status: 403,
  });
});
