import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ImRecentItem, ImRecentList } from '@portaldesk/protocol';
import { type MessengerTestKit, startMessengerTestKit } from '../testing/messenger-test-kit.ts';

let kit: MessengerTestKit;
let groupId: number;
before(async () => {
  kit = await startMessengerTestKit();
  const { alice, bob, carol } = kit;
  await kit.call(bob, 'im.message.add', { DIALOG_ID: alice.id, MESSAGE: 'oldest: from Bob' });
  groupId = (await kit.call(carol, 'im.chat.add', { USERS: [alice.id], TITLE: 'Team' })).result as number;
  await kit.call(carol, 'im.message.add', { DIALOG_ID: `chat${groupId}`, MESSAGE: 'middle: team news' });
  await kit.call(carol, 'im.message.add', { DIALOG_ID: alice.id, MESSAGE: 'newest: from Carol' });
});
after(() => kit.close());

test('im.recent.get lists dialogs and chats, most recent first, with last message and counter', async () => {
  const { alice, bob, carol } = kit;
  const items = (await kit.call(alice, 'im.recent.get')).result as ImRecentItem[];
  assert.deepEqual(
    items.map((i) => i.id),
    [carol.id, `chat${groupId}`, bob.id],
  );
  const [carolItem, teamItem] = items;
  assert.equal(carolItem?.type, 'user');
  assert.equal(carolItem?.title, carol.name);
  assert.equal(carolItem?.user?.id, carol.id);
  assert.equal(carolItem?.message?.text, 'newest: from Carol');
  assert.equal(carolItem?.counter, 1);
  assert.equal(teamItem?.type, 'chat');
  assert.equal(teamItem?.title, 'Team');
  assert.equal(teamItem?.chat?.owner, carol.id);
  assert.equal(teamItem?.chat?.user_counter, 2);
  assert.equal(teamItem?.counter, 1);
  const chatsOnly = (await kit.call(alice, 'im.recent.get', { SKIP_DIALOG: 'Y' })).result as ImRecentItem[];
  assert.deepEqual(
    chatsOnly.map((i) => i.id),
    [`chat${groupId}`],
  );
  // Bob's dialog with Alice has nothing to do with Carol's list.
  const carolItems = (await kit.call(carol, 'im.recent.get')).result as ImRecentItem[];
  assert.ok(!carolItems.some((i) => i.id === bob.id));
  assert.deepEqual((await kit.call(kit.dave, 'im.recent.get')).result, []);
});

test('im.recent.list pages by OFFSET and LIMIT and can keep to unread dialogs', async () => {
  const { alice, bob } = kit;
  const first = (await kit.call(alice, 'im.recent.list', { LIMIT: 2 })).result as ImRecentList;
  assert.equal(first.items.length, 2);
  assert.equal(first.hasMore, true);
  assert.equal(first.hasMorePages, true);
  const second = (await kit.call(alice, 'im.recent.list', { LIMIT: 2, OFFSET: 2 })).result as ImRecentList;
  assert.deepEqual(
    second.items.map((i) => i.id),
    [bob.id],
  );
  assert.equal(second.hasMore, false);
  await kit.call(alice, 'im.dialog.read', { DIALOG_ID: bob.id });
  const unread = (await kit.call(alice, 'im.recent.list', { UNREAD_ONLY: 'Y' })).result as ImRecentList;
  assert.ok(!unread.items.some((i) => i.id === bob.id));
  assert.equal(unread.items.length, 2);
});

test('im.counters.get adds up dialogs, chats and notifications', async () => {
  const { alice, bob, carol } = kit;
  await kit.call(bob, 'im.notify.system.add', { USER_ID: alice.id, MESSAGE: 'ping' }, 'webhook');
  const counters = (await kit.call(alice, 'im.counters.get')).result as {
    TYPE: Record<string, number>;
    CHAT: Record<string, number>;
    DIALOG: Record<string, number>;
  };
  assert.deepEqual(counters.CHAT, { [String(groupId)]: 1 });
  assert.deepEqual(counters.DIALOG, { [String(carol.id)]: 1 });
  assert.deepEqual(counters.TYPE, { ALL: 3, NOTIFY: 1, CHAT: 1, LINES: 0, DIALOG: 1, MESSENGER: 2 });
});

test('im.user.get answers users of the caller portal only; im.revision.get answers the revisions', async () => {
  const { alice, bob, dave } = kit;
  const me = (await kit.call(alice, 'im.user.get')).result as { id: number; name: string; email: string };
  assert.deepEqual([me.id, me.name, me.email], [alice.id, alice.name, 'alice@acme.localhost']);
  assert.equal(((await kit.call(alice, 'im.user.get', { ID: bob.id })).result as { id: number }).id, bob.id);
  assert.deepEqual(await kit.fail(alice, 'im.user.get', { ID: dave.id }), { code: 'USER_NOT_EXISTS', status: 400 });
  assert.deepEqual(await kit.fail(alice, 'im.user.get', { ID: -3 }), { code: 'ID_EMPTY', status: 400 });
  const revisions = (await kit.call(alice, 'im.revision.get')).result as Record<string, number>;
  assert.deepEqual(Object.keys(revisions).sort(), ['desktop', 'im_revision_mobile', 'mobile', 'rest', 'web']);
});
