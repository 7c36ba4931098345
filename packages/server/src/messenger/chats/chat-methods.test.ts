import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ImDialogMessages, ImMessageEventParams, ImNotifyList } from '@portaldesk/protocol';
import { commands, type MessengerTestKit, startMessengerTestKit } from '../testing/messenger-test-kit.ts';

let kit: MessengerTestKit;
before(async () => {
  kit = await startMessengerTestKit();
});
after(() => kit.close());

const newChat = async (params: Record<string, unknown>) =>
  (await kit.call(kit.alice, 'im.chat.add', params)).result as number;

describe('im.chat.add and im.chat.get', () => {
  test('the creator owns the chat; users of other portals are left out; members hear chatUserAdd', async () => {
    const { alice, bob, dave } = kit;
    const bobMark = await kit.mark(bob);
    const daveMark = await kit.mark(dave);
    const chatId = await newChat({
      USERS: [bob.id, dave.id],
      TITLE: 'Launch',
      COLOR: 'MINT',
      ENTITY_TYPE: 'CRM',
      ENTITY_ID: 'DEAL|7',
    });
    assert.deepEqual(
      (await kit.call(alice, 'im.chat.user.list', { CHAT_ID: chatId })).result,
      [alice.id, bob.id].sort((a, b) => a - b),
    );
    const [added] = await kit.eventsSince(bob, bobMark);
    assert.equal(added?.command, 'chatUserAdd');
    assert.equal(added?.params.chatId, chatId);
    assert.equal(added?.params.chatTitle, 'Launch');
    assert.equal(added?.params.chatOwner, alice.id);
    assert.deepEqual(await kit.eventsSince(dave, daveMark), []);
    assert.deepEqual((await kit.call(bob, 'im.chat.get', { ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|7' })).result, {
      ID: chatId,
    });
    assert.equal((await kit.call(dave, 'im.chat.get', { ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|7' })).result, null);
    assert.equal((await kit.call(bob, 'im.chat.get', {})).result, null);
  });

  test('without a title the chat is named after its users; MESSAGE becomes its first message', async () => {
    const { bob } = kit;
    const chatId = await newChat({ USERS: [bob.id], MESSAGE: 'Welcome!' });
    const recent = (await kit.call(bob, 'im.recent.get')).result as {
      id: string;
      title: string;
      message: { text: string };
    }[];
    const item = recent.find((r) => r.id === `chat${chatId}`);
    assert.equal(item?.title, 'Chat with Alice Archer, Bob Baker');
    assert.equal(item?.message.text, 'Welcome!');
  });
});

describe('messages in a group chat', () => {
  test('messageChat reaches every member with their own counter', async () => {
    const { alice, bob, carol } = kit;
    const chatId = await newChat({ USERS: [bob.id, carol.id], TITLE: 'Counters' });
    await kit.call(alice, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'first' });
    await kit.call(kit.carol, 'im.dialog.read', { DIALOG_ID: `chat${chatId}` });
    const marks = { alice: await kit.mark(alice), bob: await kit.mark(bob), carol: await kit.mark(carol) };
    await kit.call(alice, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'second' });
    const counterOf = async (user: MessengerTestKit['alice'], mark: number) => {
      const [event] = await kit.eventsSince(user, mark);
      assert.equal(event?.command, 'messageChat');
      const params = event?.params as unknown as ImMessageEventParams;
      assert.equal(params.dialogId, `chat${chatId}`);
      assert.equal(params.message.recipientId, `chat${chatId}`);
      assert.deepEqual(
        params.userInChat[String(chatId)],
        [alice.id, bob.id, carol.id].sort((a, b) => a - b),
      );
      return params.counter;
    };
    assert.equal(await counterOf(alice, marks.alice), 0);
    assert.equal(await counterOf(bob, marks.bob), 2);
    assert.equal(await counterOf(carol, marks.carol), 1);
    const counters = (await kit.call(bob, 'im.counters.get')).result as {
      CHAT: Record<string, number>;
      TYPE: { CHAT: number };
    };
    assert.equal(counters.CHAT[String(chatId)], 2);
  });

  test('a mentioned member is notified; a mentioned outsider is not', async () => {
    const { alice, bob, carol } = kit;
    const chatId = await newChat({ USERS: [bob.id], TITLE: 'Mentions' });
    const bobMark = await kit.mark(bob);
    const carolMark = await kit.mark(carol);
    const text = `[USER=${bob.id}]Bob Baker[/USER] and [USER=${carol.id}]Carol[/USER], look`;
    await kit.call(alice, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: text });
    assert.deepEqual(commands(await kit.eventsSince(bob, bobMark)), ['messageChat', 'notifyAdd']);
    assert.deepEqual(await kit.eventsSince(carol, carolMark), []);
    const notifications = (await kit.call(bob, 'im.notify.get')).result as ImNotifyList;
    assert.equal(notifications.notifications[0]?.author_id, alice.id);
    assert.equal(notifications.notifications[0]?.notify_read, 'N');
    assert.match(notifications.notifications[0]?.text ?? '', /look/);
  });
});

describe('im.chat.user.add', () => {
  test('new members see only what comes after, unless HIDE_HISTORY=N; everyone hears of it', async () => {
    const { alice, bob, carol, dave } = kit;
    const chatId = await newChat({ TITLE: 'History' });
    const old = (await kit.call(alice, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'before you came' }))
      .result;
    const [bobMark, aliceMark] = [await kit.mark(bob), await kit.mark(alice)];
    assert.equal(
      (await kit.call(alice, 'im.chat.user.add', { CHAT_ID: chatId, USERS: [bob.id, dave.id] })).result,
      true,
    );
    const bobSees = (await kit.call(bob, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` }))
      .result as ImDialogMessages;
    assert.ok(!bobSees.messages.some((m) => m.id === old), 'history is hidden by default');
    const join = bobSees.messages.find((m) => m.author_id === 0);
    assert.deepEqual(join?.params, { CODE: ['CHAT_JOIN'], NOTIFY: 'N' });
    assert.equal(
      join?.text,
      `[USER=${alice.id} REPLACE]Alice Archer[/USER] invited [USER=${bob.id} REPLACE]Bob Baker[/USER] to the chat`,
    );
    assert.deepEqual(commands(await kit.eventsSince(bob, bobMark)), ['chatUserAdd', 'messageChat']);
    assert.deepEqual(commands(await kit.eventsSince(alice, aliceMark)), ['chatUserAdd', 'messageChat']);
    const unread = (await kit.call(bob, 'im.counters.get')).result as { CHAT: Record<string, number> };
    assert.equal(unread.CHAT[String(chatId)], undefined, 'join messages raise no counter');
    assert.ok(
      !((await kit.call(alice, 'im.chat.user.list', { CHAT_ID: chatId })).result as number[]).includes(dave.id),
    );

    await kit.call(bob, 'im.chat.user.add', { CHAT_ID: chatId, USERS: [carol.id], HIDE_HISTORY: 'N' });
    const carolSees = (await kit.call(carol, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` }))
      .result as ImDialogMessages;
    assert.ok(carolSees.messages.some((m) => m.id === old));
  });

  test('outsiders cannot add; one-to-one dialogs cannot be extended; CHAT_ID is required', async () => {
    const { alice, bob, carol, dave } = kit;
    const chatId = await newChat({ TITLE: 'Closed' });
    assert.deepEqual(await kit.fail(bob, 'im.chat.user.add', { CHAT_ID: chatId, USERS: [bob.id] }), {
      code: 'ACCESS_DENIED_EXTEND',
      status: 403,
    });
    assert.deepEqual(await kit.fail(dave, 'im.chat.user.add', { CHAT_ID: chatId, USERS: [dave.id] }), {
      code: 'ACCESS_ERROR',
      status: 403,
    });
    assert.deepEqual(await kit.fail(alice, 'im.chat.user.add', { USERS: [bob.id] }), {
      code: 'CHAT_ID_EMPTY',
      status: 400,
    });
    await kit.call(alice, 'im.message.add', { DIALOG_ID: carol.id, MESSAGE: 'just us' });
    const dialog = (await kit.call(alice, 'im.dialog.messages.get', { DIALOG_ID: carol.id }))
      .result as ImDialogMessages;
    assert.deepEqual(await kit.fail(alice, 'im.chat.user.add', { CHAT_ID: dialog.chat_id, USERS: [bob.id] }), {
      code: 'ACCESS_ERROR',
      status: 403,
    });
    assert.deepEqual((await kit.call(alice, 'im.chat.user.list', { CHAT_ID: chatId })).result, [alice.id]);
    assert.deepEqual((await kit.call(bob, 'im.chat.user.list', { CHAT_ID: chatId })).result, []);
  });
});

describe('im.chat.leave', () => {
  test('the leaver and the others hear chatUserLeave; an owner who leaves hands the chat over', async () => {
    const { alice, bob, carol } = kit;
    const chatId = await newChat({ USERS: [bob.id, carol.id], TITLE: 'Leaving' });
    const [aliceMark, bobMark] = [await kit.mark(alice), await kit.mark(bob)];
    assert.equal((await kit.call(alice, 'im.chat.leave', { CHAT_ID: chatId })).result, true);
    const [leftEvent] = await kit.eventsSince(alice, aliceMark);
    assert.equal(leftEvent?.command, 'chatUserLeave');
    assert.equal(leftEvent?.params.userId, alice.id);
    assert.equal(leftEvent?.params.userCount, 2);
    assert.deepEqual(commands(await kit.eventsSince(bob, bobMark)), ['chatUserLeave', 'messageChat']);
    assert.deepEqual(
      (await kit.call(bob, 'im.chat.user.list', { CHAT_ID: chatId })).result,
      [bob.id, carol.id].sort((a, b) => a - b),
    );
    const list = (await kit.call(bob, 'im.recent.list', { SKIP_DIALOG: 'Y' })).result as {
      items: { chat_id: number; chat: { owner: number; role: string } }[];
    };
    const chat = list.items.find((i) => i.chat_id === chatId)?.chat;
    assert.equal(chat?.owner, bob.id, 'the longest-standing member (lowest id on a tie) owns the chat now');
    assert.equal(chat?.role, 'OWNER');
    assert.deepEqual(await kit.fail(alice, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'back?' }), {
      code: 'ACCESS_ERROR',
      status: 403,
    });
    assert.deepEqual(await kit.fail(alice, 'im.chat.leave', { CHAT_ID: chatId }), {
      code: 'ACCESS_DENIED_KICK',
      status: 403,
    });
    assert.deepEqual(await kit.fail(kit.dave, 'im.chat.leave', { CHAT_ID: chatId }), {
      code: 'ACCESS_ERROR',
      status: 403,
    });
  });
});

describe('im.chat.user.delete and im.dialog.users.list', () => {
  test('members list each other with names; the owner removes a member, who hears it with the rest', async () => {
    const { alice, bob, carol, dave } = kit;
    const chatId = await newChat({ USERS: [bob.id, carol.id], TITLE: 'Roster' });
    const listed = (await kit.call(bob, 'im.dialog.users.list', { DIALOG_ID: `chat${chatId}` })).result as {
      id: number;
      name: string;
    }[];
    assert.deepEqual(
      listed.map((u) => u.name),
      ['Alice Archer', 'Bob Baker', 'Carol Cooper'],
    );
    assert.deepEqual(await kit.fail(dave, 'im.dialog.users.list', { DIALOG_ID: `chat${chatId}` }), {
      code: 'ACCESS_ERROR',
      status: 403,
    });

    const [bobMark, carolMark] = [await kit.mark(bob), await kit.mark(carol)];
    assert.equal((await kit.call(alice, 'im.chat.user.delete', { CHAT_ID: chatId, USER_ID: bob.id })).result, true);
    const [removed] = await kit.eventsSince(bob, bobMark);
    assert.equal(removed?.command, 'chatUserLeave');
    assert.equal(removed?.params.userId, bob.id);
    assert.deepEqual(commands(await kit.eventsSince(carol, carolMark)), ['chatUserLeave', 'messageChat']);
    const history = (await kit.call(carol, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` }))
      .result as ImDialogMessages;
    assert.equal(
      history.messages[0]?.text,
      `[USER=${alice.id} REPLACE]Alice Archer[/USER] removed [USER=${bob.id} REPLACE]Bob Baker[/USER] from the chat`,
    );
    assert.deepEqual(
      (await kit.call(alice, 'im.chat.user.list', { CHAT_ID: chatId })).result,
      [alice.id, carol.id].sort((a, b) => a - b),
    );
  });

  test('a plain member cannot remove anyone, nobody removes the owner, outsiders learn nothing', async () => {
    const { alice, bob, carol, dave } = kit;
    const chatId = await newChat({ USERS: [bob.id, carol.id], TITLE: 'Guarded' });
    const denied = { code: 'ACCESS_DENIED_KICK', status: 403 };
    assert.deepEqual(await kit.fail(bob, 'im.chat.user.delete', { CHAT_ID: chatId, USER_ID: carol.id }), denied);
    assert.deepEqual(await kit.fail(bob, 'im.chat.user.delete', { CHAT_ID: chatId, USER_ID: alice.id }), denied);
    assert.deepEqual(await kit.fail(alice, 'im.chat.user.delete', { CHAT_ID: chatId, USER_ID: alice.id }), denied);
    assert.deepEqual(await kit.fail(alice, 'im.chat.user.delete', { CHAT_ID: chatId, USER_ID: dave.id }), denied);
    assert.deepEqual(await kit.fail(dave, 'im.chat.user.delete', { CHAT_ID: chatId, USER_ID: bob.id }), {
      code: 'ACCESS_ERROR',
      status: 403,
    });
    assert.deepEqual(await kit.fail(alice, 'im.chat.user.delete', { CHAT_ID: chatId }), {
      code: 'USER_ID_EMPTY',
      status: 400,
    });
    assert.equal(((await kit.call(alice, 'im.chat.user.list', { CHAT_ID: chatId })).result as number[]).length, 3);
  });
});
