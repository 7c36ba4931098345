import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ImNotifyList } from '@portaldesk/protocol';
import { commands, type MessengerTestKit, startMessengerTestKit } from '../testing/messenger-test-kit.ts';

let kit: MessengerTestKit;
before(async () => {
  kit = await startMessengerTestKit();
});
after(() => kit.close());

const listOf = async (user: MessengerTestKit['alice'], params = {}) =>
  (await kit.call(user, 'im.notify.get', params)).result as ImNotifyList;

test('a personal notification reaches its user with a notifyAdd event and counts as unread', async () => {
  const { alice, bob } = kit;
  const bobMark = await kit.mark(bob);
  const { result: id } = await kit.call(
    alice,
    'im.notify.personal.add',
    {
      USER_ID: bob.id,
      MESSAGE: '  Review <b>please</b>  ',
    },
    'webhook',
  );
  assert.equal(typeof id, 'number');
  const [event] = await kit.eventsSince(bob, bobMark);
  assert.equal(event?.command, 'notifyAdd');
  assert.equal(event?.params.id, id);
  assert.equal(event?.params.text, 'Review <b>please</b>');
  assert.equal(event?.params.userId, alice.id);
  assert.equal(event?.params.counter, 1);
  const list = await listOf(bob);
  assert.equal(list.total_unread_count, 1);
  assert.deepEqual(
    list.notifications.map((n) => [n.id, n.notify_type, n.author_id, n.notify_read]),
    [[id, 2, alice.id, 'N']],
  );
  assert.equal(list.users[0]?.id, alice.id);
  const counters = (await kit.call(bob, 'im.counters.get')).result as { TYPE: { NOTIFY: number; ALL: number } };
  assert.equal(counters.TYPE.NOTIFY, 1);
});

test('a system notification with a TAG replaces the older one with the same tag', async () => {
  const { alice, carol } = kit;
  const first = (
    await kit.call(
      alice,
      'im.notify.system.add',
      { USER_ID: carol.id, MESSAGE: 'Build 1 failed', TAG: 'CI' },
      'webhook',
    )
  ).result as number;
  const other = (await kit.call(alice, 'im.notify.system.add', { USER_ID: carol.id, MESSAGE: 'Unrelated' }, 'webhook'))
    .result;
  const carolMark = await kit.mark(carol);
  const second = (
    await kit.call(
      alice,
      'im.notify.system.add',
      { USER_ID: carol.id, MESSAGE: 'Build 2 failed', TAG: 'CI' },
      'webhook',
    )
  ).result as number;
  const list = await listOf(carol);
  assert.deepEqual(
    list.notifications.map((n) => n.id),
    [second, other],
  );
  assert.equal(list.notifications[0]?.notify_type, 4);
  assert.equal(list.notifications[0]?.author_id, 0);
  assert.equal(list.notifications[0]?.notify_tag, 'MP|rest|CI');
  const events = await kit.eventsSince(carol, carolMark);
  assert.deepEqual(commands(events), ['notifyDelete', 'notifyAdd']);
  assert.deepEqual(events[0]?.params.id, { [String(first)]: first });
});

test('notifications are refused to session callers, and bad input gets the documented errors', async () => {
  const { alice, bob, dave } = kit;
  assert.deepEqual(await kit.fail(alice, 'im.notify.personal.add', { USER_ID: bob.id, MESSAGE: 'x' }, 'session'), {
    code: 'WRONG_AUTH_TYPE',
    status: 403,
  });
  assert.deepEqual(await kit.fail(alice, 'im.notify.system.add', { MESSAGE: 'x' }, 'webhook'), {
    code: 'USER_ID_EMPTY',
    status: 400,
  });
  assert.deepEqual(await kit.fail(alice, 'im.notify.system.add', { USER_ID: 0, MESSAGE: 'x' }, 'webhook'), {
    code: 'USER_ID_EMPTY',
    status: 400,
  });
  assert.deepEqual(await kit.fail(alice, 'im.notify.personal.add', { USER_ID: bob.id, MESSAGE: '   ' }, 'webhook'), {
    code: 'MESSAGE_EMPTY',
    status: 400,
  });
  const daveMark = await kit.mark(dave);
  // A user of another portal: no notification is created, as for a user who does not exist.
  assert.equal(
    (await kit.call(alice, 'im.notify.personal.add', { USER_ID: dave.id, MESSAGE: 'hello' }, 'webhook')).result,
    false,
  );
  assert.deepEqual(await kit.eventsSince(dave, daveMark), []);
  assert.equal((await listOf(dave)).total_count, 0);
});

test('im.notify.read marks read and unread, one or from an id on, and tells the user', async () => {
  const { alice, bob } = kit;
  const ids: number[] = [];
  for (const n of [1, 2, 3]) {
    ids.push(
      (await kit.call(alice, 'im.notify.system.add', { USER_ID: bob.id, MESSAGE: `n${n}` }, 'webhook'))
        .result as number,
    );
  }
  const bobMark = await kit.mark(bob);
  await kit.call(bob, 'im.notify.read', { ID: ids[1], ONLY_CURRENT: 'Y' });
  await kit.call(bob, 'im.notify.read', { ID: ids[0] });
  await kit.call(bob, 'im.notify.read', { ID: ids[2], ACTION: 'N', ONLY_CURRENT: 'Y' });
  const events = await kit.eventsSince(bob, bobMark);
  assert.deepEqual(commands(events), ['notifyRead', 'notifyRead', 'notifyUnread']);
  assert.deepEqual(events[0]?.params.list, [ids[1]]);
  assert.deepEqual(events[1]?.params.list, [ids[0], ids[2]]);
  assert.deepEqual(events[2]?.params.list, [ids[2]]);
  const read = new Map((await listOf(bob)).notifications.map((n) => [n.id, n.notify_read]));
  assert.deepEqual(
    ids.map((id) => read.get(id)),
    ['Y', 'Y', 'N'],
  );
  // Someone else's notification cannot be touched.
  const aliceMark = await kit.mark(bob);
  await kit.call(alice, 'im.notify.read', { ID: ids[2], ONLY_CURRENT: 'Y' });
  assert.deepEqual(await kit.eventsSince(bob, aliceMark), []);
  assert.equal((await kit.call(bob, 'im.notify.read', {})).result, true);
});

test('im.notify.get pages with LAST_ID and LAST_TYPE together', async () => {
  const { alice, carol } = kit;
  for (let n = 0; n < 4; n++)
    await kit.call(alice, 'im.notify.system.add', { USER_ID: carol.id, MESSAGE: `page ${n}` }, 'webhook');
  const first = await listOf(carol, { LIMIT: 2 });
  assert.equal(first.notifications.length, 2);
  const last = first.notifications[1]?.id;
  const next = await listOf(carol, { LIMIT: 2, LAST_ID: last, LAST_TYPE: 3 });
  assert.ok(next.notifications.every((n) => n.id < (last as number)));
  assert.deepEqual(await kit.fail(carol, 'im.notify.get', { LAST_ID: last }), {
    code: 'LAST_ID_AND_LAST_TYPE',
    status: 400,
  });
  assert.deepEqual(await kit.fail(carol, 'im.notify.get', { LAST_ID: 'x', LAST_TYPE: 3 }), {
    code: 'LAST_ID_STRING',
    status: 400,
  });
});
