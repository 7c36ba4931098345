import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ImDialogMessages, ImMessageEventParams } from '@portaldesk/protocol';
import { RestDispatcher } from '../../rest/rest-dispatcher.ts';
import type { RestError } from '../../rest/rest-error.ts';
import { RestMethodRegistry } from '../../rest/rest-method-registry.ts';
import { createMessenger } from '../messenger.ts';
import { messengerMethods } from '../messenger-methods.ts';
import { commands, type MessengerTestKit, startMessengerTestKit } from '../testing/messenger-test-kit.ts';

let kit: MessengerTestKit;
before(async () => {
  kit = await startMessengerTestKit();
});
after(() => kit.close());

const messagesOf = async (user: MessengerTestKit['alice'], dialogId: string | number, extra = {}) =>
  (await kit.call(user, 'im.dialog.messages.get', { DIALOG_ID: dialogId, ...extra })).result as ImDialogMessages;

describe('im.message.add to a one-to-one dialog', () => {
  test('the message is stored exactly as sent and both sides get a `message` event with their own view', async () => {
    const { alice, bob } = kit;
    const [aliceMark, bobMark] = [await kit.mark(alice), await kit.mark(bob)];
    const text = '  <script>alert("x")</script> & [b]bold[/b]\n';
    const { result: id } = await kit.call(alice, 'im.message.add', { DIALOG_ID: String(bob.id), MESSAGE: text });
    assert.equal(typeof id, 'number');

    const page = await messagesOf(bob, alice.id);
    assert.equal(page.messages[0]?.id, id);
    assert.equal(page.messages[0]?.text, text);
    assert.equal(page.messages[0]?.author_id, alice.id);
    assert.equal(page.messages[0]?.unread, true);

    const [toBob] = await kit.eventsSince(bob, bobMark);
    const [toAlice] = await kit.eventsSince(alice, aliceMark);
    assert.equal(toBob?.command, 'message');
    assert.equal(toAlice?.command, 'message');
    const bobView = toBob?.params as unknown as ImMessageEventParams;
    const aliceView = toAlice?.params as unknown as ImMessageEventParams;
    assert.equal(bobView.dialogId, alice.id, "Bob's dialog is Alice");
    assert.equal(aliceView.dialogId, bob.id, "Alice's dialog is Bob");
    assert.equal(bobView.counter, 1);
    assert.equal(aliceView.counter, 0);
    assert.equal(bobView.message.text, text);
    assert.equal(bobView.message.senderId, alice.id);
    assert.equal(bobView.message.recipientId, bob.id);
    assert.equal(bobView.notify, true);
    assert.equal(bobView.users[String(alice.id)]?.name, alice.name);
  });

  test('each new message counts up the reader, and prevId links it to the one before', async () => {
    const { alice, carol } = kit;
    const first = (await kit.call(alice, 'im.message.add', { DIALOG_ID: carol.id, MESSAGE: 'one' })).result as number;
    const carolMark = await kit.mark(carol);
    const second = (await kit.call(alice, 'im.message.add', { DIALOG_ID: carol.id, MESSAGE: 'two' })).result as number;
    const [event] = await kit.eventsSince(carol, carolMark);
    const params = event?.params as unknown as ImMessageEventParams;
    assert.equal(params.counter, 2);
    assert.equal(params.message.prevId, first);
    assert.equal(params.message.id, second);
  });

  test('a retried send with the same uuid answers the same id and stores and announces nothing new', async () => {
    const { alice, bob } = kit;
    const uuid = '6b1f5d8e-3c36-4d8c-9d0a-1f0e6a0b9c11';
    const first = await kit.call(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'once', UUID: uuid });
    const bobMark = await kit.mark(bob);
    const before = (await messagesOf(bob, alice.id)).messages.length;
    const again = await kit.call(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'once', UUID: uuid });
    const concurrent = await Promise.all([
      kit.call(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'once', TEMPLATE_ID: uuid }),
      kit.call(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'once', UUID: uuid }),
    ]);
    assert.equal(again.result, first.result);
    assert.deepEqual(
      concurrent.map((c) => c.result),
      [first.result, first.result],
    );
    assert.equal((await messagesOf(bob, alice.id)).messages.length, before);
    assert.deepEqual(await kit.eventsSince(bob, bobMark), []);
    const page = await messagesOf(alice, bob.id);
    assert.equal(page.messages.find((m) => m.id === first.result)?.uuid, uuid);
  });

  test('concurrent uuid-less sends to one dialog all land, with ids growing in order', async () => {
    const { bob, carol } = kit;
    const ids = await Promise.all(
      Array.from({ length: 8 }, (_, n) => kit.call(bob, 'im.message.add', { DIALOG_ID: carol.id, MESSAGE: `n${n}` })),
    );
    const page = await messagesOf(carol, bob.id, { LIMIT: 50 });
    for (const { result } of ids) assert.ok(page.messages.some((m) => m.id === result));
    const sorted = page.messages.map((m) => m.id);
    assert.deepEqual(
      sorted,
      [...sorted].sort((a, b) => b - a),
    );
  });
});

describe('im.message.add refusals', () => {
  test('bad input answers the documented errors and changes nothing', async () => {
    const { alice, bob, dave } = kit;
    const before = (await messagesOf(alice, bob.id)).messages.length;
    assert.deepEqual(await kit.fail(alice, 'im.message.add', { MESSAGE: 'x' }), {
      code: 'DIALOG_ID_EMPTY',
      status: 400,
    });
    assert.deepEqual(await kit.fail(alice, 'im.message.add', { DIALOG_ID: 'nonsense', MESSAGE: 'x' }), {
      code: 'DIALOG_ID_EMPTY',
      status: 400,
    });
    assert.deepEqual(await kit.fail(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: '   ' }), {
      code: 'MESSAGE_EMPTY',
      status: 400,
    });
    assert.deepEqual(await kit.fail(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'x'.repeat(20_001) }), {
      code: 'PARAMS_ERROR',
      status: 400,
    });
    // PostgreSQL cannot store U+0000: refused at the edge, not failed inside as an internal error.
    assert.deepEqual(await kit.fail(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'nul\u0000here' }), {
      code: 'INVALID_REQUEST',
      status: 400,
    });
    assert.deepEqual(await kit.fail(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'x', ATTACH: '{broken' }), {
      code: 'ATTACH_ERROR',
      status: 400,
    });
    // A user of another portal is as unknown as a user who does not exist.
    assert.deepEqual(await kit.fail(alice, 'im.message.add', { DIALOG_ID: dave.id, MESSAGE: 'x' }), {
      code: 'USER_NOT_FOUND',
      status: 400,
    });
    assert.deepEqual(await kit.fail(alice, 'im.message.add', { DIALOG_ID: 999_999, MESSAGE: 'x' }), {
      code: 'USER_NOT_FOUND',
      status: 400,
    });
    assert.equal((await messagesOf(alice, bob.id)).messages.length, before);
  });

  test('a reply must point at a message of the same chat', async () => {
    const { alice, bob, carol } = kit;
    const elsewhere = (await kit.call(alice, 'im.message.add', { DIALOG_ID: carol.id, MESSAGE: 'to carol' })).result;
    assert.deepEqual(
      await kit.fail(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'reply', REPLY_ID: elsewhere }),
      { code: 'REPLY_FROM_OTHER_CHAT_ERROR', status: 400 },
    );
    const here = (await kit.call(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'question' })).result;
    const reply = (await kit.call(bob, 'im.message.add', { DIALOG_ID: alice.id, MESSAGE: 'answer', REPLY_ID: here }))
      .result;
    const page = await messagesOf(alice, bob.id);
    assert.deepEqual(page.messages.find((m) => m.id === reply)?.params, { REPLY_ID: here });
  });

  test('over a session, a send without the sessid is refused as cross-site and stores nothing; reading needs none', async () => {
    const { alice, bob } = kit;
    const before = (await messagesOf(alice, bob.id)).messages.length;
    const desktop = kit.desktopOf(alice);
    const forged = await desktop.rest(
      'im.message.add',
      { DIALOG_ID: bob.id, MESSAGE: 'forged' },
      { withSessid: false },
    );
    assert.equal(forged.status, 403);
    assert.equal(forged.body.error, 'INVALID_CSRF');
    const read = await desktop.rest('im.dialog.messages.get', { DIALOG_ID: bob.id }, { withSessid: false });
    assert.equal(read.status, 200);
    assert.equal((read.body.result as ImDialogMessages).messages.length, before);
  });

  test('a token without the im scope is refused', async () => {
    const { alice, bob } = kit;
    await assert.rejects(
      kit.server.context.dispatcher.invoke({
        method: 'im.message.add',
        params: { DIALOG_ID: bob.id, MESSAGE: 'x' },
        auth: {
          portal: alice.portal,
          userId: alice.id,
          via: 'oauth',
          scopes: new Set(['user']),
          mayChangeState: true,
          credentialId: 't',
        },
        ip: '127.0.0.1',
      }),
      (error: RestError) => error.code === 'insufficient_scope',
    );
  });

  test('a user who sends too fast (messages or notifications) is told QUERY_LIMIT_EXCEEDED, and nothing is stored', async () => {
    const { db, clock, events } = kit.server.context;
    const messenger = createMessenger({ db, clock, events, sendRateLimit: { messages: 3, seconds: 60 } });
    const dispatcher = new RestDispatcher(new RestMethodRegistry().register(...messengerMethods(messenger)), clock);
    const { alice, bob } = kit;
    const auth = {
      portal: alice.portal,
      userId: alice.id,
      via: 'oauth' as const,
      scopes: new Set(['im']),
      mayChangeState: true,
      credentialId: 't',
    };
    const send = (n: number) =>
      dispatcher.invoke({
        method: 'im.message.add',
        params: { DIALOG_ID: bob.id, MESSAGE: `burst ${n}` },
        auth,
        ip: '::1',
      });
    for (let n = 0; n < 3; n++) await send(n);
    await assert.rejects(send(3), (error: RestError) => error.code === 'QUERY_LIMIT_EXCEEDED' && error.status === 503);
    await assert.rejects(
      dispatcher.invoke({
        method: 'im.notify.system.add',
        params: { USER_ID: bob.id, MESSAGE: 'spam' },
        auth,
        ip: '::1',
      }),
      (error: RestError) => error.code === 'QUERY_LIMIT_EXCEEDED',
      'notifications count against the same limit',
    );
    const page = await messagesOf(bob, alice.id, { LIMIT: 50 });
    assert.equal(page.messages.filter((m) => m.text.startsWith('burst')).length, 3);
  });
});

describe('im.dialog.messages.get', () => {
  test('pages backwards with LAST_ID and forwards with FIRST_ID, at most 50 a page', async () => {
    const { alice, carol } = kit;
    const chatId = (await kit.call(alice, 'im.chat.add', { USERS: [carol.id], TITLE: 'Paging' })).result as number;
    const ids: number[] = [];
    for (let n = 0; n < 60; n++) {
      ids.push(
        (
          await kit.call(alice, 'im.message.add', {
            DIALOG_ID: `chat${chatId}`,
            MESSAGE: `m${n}`,
            UUID: `p-${chatId}-${n}`,
          })
        ).result as number,
      );
    }
    const latest = await messagesOf(carol, `chat${chatId}`);
    assert.equal(latest.chat_id, chatId);
    assert.deepEqual(
      latest.messages.map((m) => m.id),
      ids.slice(-20).reverse(),
      'the newest 20, newest first',
    );
    const capped = await messagesOf(carol, `chat${chatId}`, { LIMIT: 500 });
    assert.equal(capped.messages.length, 50);
    const older = await messagesOf(carol, `chat${chatId}`, { LAST_ID: ids[10], LIMIT: 5 });
    assert.deepEqual(
      older.messages.map((m) => m.id),
      ids.slice(5, 10).reverse(),
    );
    const newer = await messagesOf(carol, `chat${chatId}`, { FIRST_ID: ids[10], LIMIT: 3 });
    assert.deepEqual(
      newer.messages.map((m) => m.id),
      ids.slice(11, 14).reverse(),
    );
    assert.deepEqual(await kit.fail(carol, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LAST_ID: 'abc' }), {
      code: 'LAST_ID_STRING',
      status: 400,
    });
    assert.deepEqual(await kit.fail(carol, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, FIRST_ID: 'abc' }), {
      code: 'FIRST_ID_STRING',
      status: 400,
    });
  });

  test('only members read a chat; users of another portal cannot reach it at all', async () => {
    const { alice, bob, dave } = kit;
    const chatId = (await kit.call(alice, 'im.chat.add', { USERS: [], TITLE: 'Private' })).result as number;
    await kit.call(alice, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'secret' });
    assert.deepEqual(await kit.fail(bob, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` }), {
      code: 'ACCESS_ERROR',
      status: 403,
    });
    assert.deepEqual(await kit.fail(dave, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` }), {
      code: 'ACCESS_ERROR',
      status: 403,
    });
    assert.deepEqual(await kit.fail(bob, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'let me in' }), {
      code: 'ACCESS_ERROR',
      status: 403,
    });
    assert.deepEqual(await kit.fail(dave, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'hi' }), {
      code: 'ACCESS_ERROR',
      status: 403,
    });
    // Nor can Dave read Alice's one-to-one dialogs by naming her.
    assert.deepEqual(await kit.fail(dave, 'im.dialog.messages.get', { DIALOG_ID: alice.id }), {
      code: 'ACCESS_ERROR',
      status: 403,
    });
  });
});

describe('im.message.update and im.message.delete', () => {
  test('the author edits; members hear messageUpdate; the old text is kept in the history', async () => {
    const { alice, bob } = kit;
    const id = (await kit.call(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'draft' })).result as number;
    const bobMark = await kit.mark(bob);
    assert.deepEqual((await kit.call(alice, 'im.message.update', { MESSAGE_ID: id, MESSAGE: 'final' })).result, true);
    const message = (await messagesOf(bob, alice.id)).messages.find((m) => m.id === id);
    assert.equal(message?.text, 'final');
    assert.deepEqual(message?.params, { IS_EDITED: 'Y' });
    const [event] = await kit.eventsSince(bob, bobMark);
    assert.equal(event?.command, 'messageUpdate');
    assert.equal(event?.params.text, 'final');
    assert.equal(event?.params.dialogId, alice.id);
    const history = await kit.server.context.db.query<{ change: string; text: string }>(
      'SELECT change, text FROM im_message_versions WHERE message_id = $1 ORDER BY id',
      [id],
    );
    assert.deepEqual(history, [{ change: 'edit', text: 'draft' }]);
  });

  test('someone else cannot edit or delete it; a bad id is MESSAGE_ID_ERROR', async () => {
    const { alice, bob, dave } = kit;
    const id = (await kit.call(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'mine' })).result as number;
    assert.deepEqual(await kit.fail(bob, 'im.message.update', { MESSAGE_ID: id, MESSAGE: 'yours' }), {
      code: 'CANT_EDIT_MESSAGE',
      status: 403,
    });
    assert.deepEqual(await kit.fail(bob, 'im.message.delete', { MESSAGE_ID: id }), {
      code: 'CANT_EDIT_MESSAGE',
      status: 403,
    });
    assert.deepEqual(await kit.fail(dave, 'im.message.delete', { MESSAGE_ID: id }), {
      code: 'CANT_EDIT_MESSAGE',
      status: 403,
    });
    assert.deepEqual(await kit.fail(alice, 'im.message.delete', {}), { code: 'MESSAGE_ID_ERROR', status: 400 });
    const message = (await messagesOf(alice, bob.id)).messages.find((m) => m.id === id);
    assert.equal(message?.text, 'mine');
  });

  test('delete (or an update to empty text) leaves a deleted mark, keeps the text in the history, announces messageDelete', async () => {
    const { alice, bob } = kit;
    const id = (await kit.call(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'oops' })).result as number;
    const other = (await kit.call(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'oops too' }))
      .result as number;
    const bobMark = await kit.mark(bob);
    await kit.call(alice, 'im.message.delete', { MESSAGE_ID: id });
    await kit.call(alice, 'im.message.update', { MESSAGE_ID: other, MESSAGE: '' });
    const page = await messagesOf(bob, alice.id);
    for (const deleted of [id, other]) {
      const message = page.messages.find((m) => m.id === deleted);
      assert.ok(message, `message ${deleted} is still listed`);
      assert.equal((message.params as Record<string, unknown>).IS_DELETED, 'Y');
      assert.notEqual(message?.text, 'oops');
    }
    assert.deepEqual(commands(await kit.eventsSince(bob, bobMark)), ['messageDelete', 'messageDelete']);
    const history = await kit.server.context.db.query<{ change: string; text: string }>(
      'SELECT change, text FROM im_message_versions WHERE message_id = ANY($1::bigint[]) ORDER BY id',
      [[id, other]],
    );
    assert.deepEqual(history, [
      { change: 'delete', text: 'oops' },
      { change: 'delete', text: 'oops too' },
    ]);
    assert.deepEqual(await kit.fail(alice, 'im.message.update', { MESSAGE_ID: id, MESSAGE: 'back' }), {
      code: 'CANT_EDIT_MESSAGE',
      status: 403,
    });
  });
});

describe('im.dialog.read and counters', () => {
  test('reading moves the position, lowers the counter, and tells the reader and the writer', async () => {
    const { bob, carol } = kit;
    await kit.call(carol, 'im.dialog.read', { DIALOG_ID: bob.id });
    const ids: number[] = [];
    for (const text of ['a', 'b', 'c']) {
      ids.push((await kit.call(bob, 'im.message.add', { DIALOG_ID: carol.id, MESSAGE: text })).result as number);
    }
    const [carolMark, bobMark] = [await kit.mark(carol), await kit.mark(bob)];
    const partial = await kit.call(carol, 'im.dialog.read', { DIALOG_ID: bob.id, MESSAGE_ID: ids[1] });
    assert.deepEqual(partial.result, {
      dialogId: String(bob.id),
      chatId: (partial.result as { chatId: number }).chatId,
      lastId: ids[1],
      counter: 1,
    });
    const counters = (await kit.call(carol, 'im.counters.get')).result as { DIALOG: Record<string, number> };
    assert.equal(counters.DIALOG[String(bob.id)], 1);
    const [own] = await kit.eventsSince(carol, carolMark);
    assert.equal(own?.command, 'readMessage');
    assert.equal(own?.params.counter, 1);
    assert.equal(own?.params.lastId, ids[1]);
    assert.deepEqual(own?.params.viewedMessages, ids.slice(0, 2));
    const [opponent] = await kit.eventsSince(bob, bobMark);
    assert.equal(opponent?.command, 'readMessageOpponent');
    assert.equal(opponent?.params.userId, carol.id);
    assert.equal(opponent?.params.dialogId, carol.id);
    const all = await kit.call(carol, 'im.dialog.read', { DIALOG_ID: bob.id });
    assert.equal((all.result as { counter: number }).counter, 0);
    const after = (await kit.call(carol, 'im.counters.get')).result as { DIALOG: Record<string, number> };
    assert.equal(after.DIALOG[String(bob.id)], undefined, 'a dialog read to the end has no counter');
  });

  test('deleting an unread message lowers the counters of those who had not read it, and tells them', async () => {
    const { alice, bob, carol } = kit;
    const chatId = (await kit.call(alice, 'im.chat.add', { TITLE: 'Deletions', USERS: [bob.id, carol.id] }))
      .result as number;
    const dialog = `chat${chatId}`;
    const ids: number[] = [];
    for (const text of ['one', 'two', 'three']) {
      ids.push((await kit.call(alice, 'im.message.add', { DIALOG_ID: dialog, MESSAGE: text })).result as number);
    }
    // Bob has read the first message; Carol has read none.
    await kit.call(bob, 'im.dialog.read', { DIALOG_ID: dialog, MESSAGE_ID: ids[0] });
    const chatCounter = async (user: typeof bob) =>
      ((await kit.call(user, 'im.counters.get')).result as { CHAT: Record<string, number> }).CHAT[String(chatId)] ?? 0;
    assert.deepEqual([await chatCounter(bob), await chatCounter(carol)], [2, 3]);
    const [bobMark, carolMark, aliceMark] = [await kit.mark(bob), await kit.mark(carol), await kit.mark(alice)];

    await kit.call(alice, 'im.message.delete', { MESSAGE_ID: ids[0] });
    assert.deepEqual([await chatCounter(bob), await chatCounter(carol)], [2, 2], 'only who had not read it');
    await kit.call(alice, 'im.message.delete', { MESSAGE_ID: ids[1] });
    assert.deepEqual([await chatCounter(bob), await chatCounter(carol)], [1, 1]);
    assert.equal(await chatCounter(alice), 0, "the author's own messages never counted");

    const counters = async (user: typeof bob, mark: number) =>
      (await kit.eventsSince(user, mark)).map((e) => [e.command, e.params.id, e.params.counter]);
    assert.deepEqual(await counters(bob, bobMark), [
      ['messageDelete', ids[0], 2],
      ['messageDelete', ids[1], 1],
    ]);
    assert.deepEqual(await counters(carol, carolMark), [
      ['messageDelete', ids[0], 2],
      ['messageDelete', ids[1], 1],
    ]);
    assert.deepEqual(await counters(alice, aliceMark), [
      ['messageDelete', ids[0], 0],
      ['messageDelete', ids[1], 0],
    ]);
    // Reading counts again from the messages: the deleted ones stay uncounted.
    const partial = await kit.call(carol, 'im.dialog.read', { DIALOG_ID: dialog, MESSAGE_ID: ids[0] });
    assert.equal((partial.result as { counter: number }).counter, 1);
  });

  test('reading a dialog the caller has no access to answers false', async () => {
    const { alice, dave } = kit;
    const chatId = (await kit.call(alice, 'im.chat.add', { TITLE: 'Solo' })).result as number;
    assert.equal((await kit.call(dave, 'im.dialog.read', { DIALOG_ID: `chat${chatId}` })).result, false);
    assert.deepEqual(await kit.fail(dave, 'im.dialog.read', {}), { code: 'DIALOG_ID_EMPTY', status: 400 });
  });
});

describe('im.dialog.writing', () => {
  test('pushes a transient startWriting to the other side and records nothing', async () => {
    const { alice, bob, dave } = kit;
    const { events } = kit.server.context;
    const seen: { userIds: readonly number[]; params: Record<string, unknown> }[] = [];
    const stop = events.onDelivery((d) => {
      if (d.kind === 'transient') seen.push({ userIds: d.userIds, params: d.event.params });
    });
    const bobMark = await kit.mark(bob);
    assert.equal((await kit.call(alice, 'im.dialog.writing', { DIALOG_ID: bob.id })).result, true);
    stop();
    assert.deepEqual(seen, [
      { userIds: [bob.id], params: { dialogId: alice.id, userId: alice.id, userName: alice.name } },
    ]);
    assert.deepEqual(await kit.eventsSince(bob, bobMark), []);
    assert.deepEqual(await kit.fail(alice, 'im.dialog.writing', { DIALOG_ID: dave.id }), {
      code: 'ACCESS_ERROR',
      status: 403,
    });
  });
});
