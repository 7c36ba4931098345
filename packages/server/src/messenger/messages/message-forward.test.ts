import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ImDialogMessages, ImMessageEventParams } from '@portaldesk/protocol';
import { type MessengerTestKit, startMessengerTestKit } from '../testing/messenger-test-kit.ts';

let kit: MessengerTestKit;
before(async () => {
  kit = await startMessengerTestKit();
});
after(() => kit.close());

const messagesOf = async (user: MessengerTestKit['alice'], dialogId: string | number) =>
  (await kit.call(user, 'im.dialog.messages.get', { DIALOG_ID: dialogId })).result as ImDialogMessages;

/** A message's params as the wire carries them (an object, or `[]` for none). */
const paramsOf = (message: { params?: unknown } | undefined) => (message?.params ?? {}) as Record<string, unknown>;

describe('im.message.forward', () => {
  test('a message goes into another chat as the forwarder’s, naming its author, delivered live like any message', async () => {
    const { alice, bob, carol } = kit;
    const original = (
      await kit.call(bob, 'im.message.add', { DIALOG_ID: alice.id, MESSAGE: 'Budget is [b]approved[/b]' })
    ).result as number;
    const chatId = (await kit.call(alice, 'im.chat.add', { USERS: [carol.id], TITLE: 'Finance' })).result as number;
    const carolMark = await kit.mark(carol);

    const { result: id } = await kit.call(alice, 'im.message.forward', {
      MESSAGE_ID: original,
      DIALOG_ID: `chat${chatId}`,
    });
    assert.equal(typeof id, 'number');

    const events = await kit.eventsSince(carol, carolMark);
    const event = events.find((e) => e.command === 'messageChat');
    const params = event?.params as unknown as ImMessageEventParams;
    assert.equal(params.message.id, id);
    assert.equal(params.message.text, 'Budget is [b]approved[/b]');
    assert.equal(params.message.senderId, alice.id, 'the forwarder sends it');
    assert.equal(paramsOf(params.message).FORWARD_USER_ID, bob.id);
    assert.equal(params.users[String(bob.id)]?.name, bob.name, 'the original author is described');

    const page = await messagesOf(carol, `chat${chatId}`);
    const copy = page.messages.find((m) => m.id === id);
    assert.equal(copy?.text, 'Budget is [b]approved[/b]');
    assert.equal(paramsOf(copy).FORWARD_ID, original);
    assert.ok(
      page.users.some((u) => u.id === bob.id),
      'Carol can name Bob, who is not in the chat',
    );

    // Forwarded again, it still names the first author.
    const again = (await kit.call(carol, 'im.message.forward', { MESSAGE_ID: id, DIALOG_ID: bob.id })).result as number;
    const bobsView = (await messagesOf(bob, carol.id)).messages.find((m) => m.id === again);
    assert.equal(paramsOf(bobsView).FORWARD_USER_ID, bob.id);
    assert.equal(paramsOf(bobsView).FORWARD_ID, original);
  });

  test('only from a chat the caller is in, only into one they may write to; bad input changes nothing', async () => {
    const { alice, bob, carol, dave } = kit;
    const secret = (await kit.call(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'between us' }))
      .result as number;
    const closed = (await kit.call(alice, 'im.chat.add', { USERS: [bob.id], TITLE: 'Closed' })).result as number;
    const before = (await messagesOf(alice, carol.id)).messages.length;

    assert.deepEqual(await kit.fail(carol, 'im.message.forward', { MESSAGE_ID: secret, DIALOG_ID: alice.id }), {
      code: 'ACCESS_ERROR',
      status: 403,
    });
    assert.deepEqual(await kit.fail(dave, 'im.message.forward', { MESSAGE_ID: secret, DIALOG_ID: dave.id }), {
      code: 'ACCESS_ERROR',
      status: 403,
    });
    assert.deepEqual(await kit.fail(carol, 'im.message.forward', { MESSAGE_ID: secret, DIALOG_ID: `chat${closed}` }), {
      code: 'ACCESS_ERROR',
      status: 403,
    });
    const own = (await kit.call(carol, 'im.message.add', { DIALOG_ID: alice.id, MESSAGE: 'mine' })).result as number;
    assert.deepEqual(await kit.fail(carol, 'im.message.forward', { MESSAGE_ID: own, DIALOG_ID: `chat${closed}` }), {
      code: 'ACCESS_ERROR',
      status: 403,
    });
    assert.deepEqual(await kit.fail(carol, 'im.message.forward', { MESSAGE_ID: own, DIALOG_ID: dave.id }), {
      code: 'USER_NOT_FOUND',
      status: 400,
    });
    assert.deepEqual(await kit.fail(alice, 'im.message.forward', { DIALOG_ID: carol.id }), {
      code: 'MESSAGE_ID_ERROR',
      status: 400,
    });
    assert.deepEqual(await kit.fail(alice, 'im.message.forward', { MESSAGE_ID: 'x', DIALOG_ID: carol.id }), {
      code: 'MESSAGE_ID_ERROR',
      status: 400,
    });
    assert.deepEqual(await kit.fail(alice, 'im.message.forward', { MESSAGE_ID: secret }), {
      code: 'DIALOG_ID_EMPTY',
      status: 400,
    });
    await kit.call(alice, 'im.message.delete', { MESSAGE_ID: secret });
    assert.deepEqual(await kit.fail(alice, 'im.message.forward', { MESSAGE_ID: secret, DIALOG_ID: carol.id }), {
      code: 'PARAMS_ERROR',
      status: 400,
    });
    assert.equal((await messagesOf(alice, carol.id)).messages.length, before + 1, 'only Carol’s own message is new');
  });
});
