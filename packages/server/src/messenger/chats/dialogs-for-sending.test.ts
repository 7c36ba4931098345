import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Queryable } from '../../storage/database.ts';
import { capturingSql, genericPlanOf } from '../../testing/generic-plan.ts';
import { type MessengerTestKit, startMessengerTestKit } from '../testing/messenger-test-kit.ts';
import { DialogsForSending } from './dialogs-for-sending.ts';

let kit: MessengerTestKit;
before(async () => {
  kit = await startMessengerTestKit();
});
after(() => kit.close());

test('lookups made together are answered by one query, each with its own answer', async () => {
  const { alice, bob, carol, dave, acme } = kit;
  const ours = (await kit.call(alice, 'im.chat.add', { USERS: [bob.id], TITLE: 'Ours' })).result as number;
  const theirs = (await kit.call(bob, 'im.chat.add', { USERS: [carol.id], TITLE: 'Theirs' })).result as number;
  await kit.call(alice, 'im.message.add', { DIALOG_ID: bob.id, MESSAGE: 'hi' });
  const privateChat = await kit.server.context.messenger.directory.open(acme.id, alice.id, {
    kind: 'user',
    userId: bob.id,
  });
  assert.ok(privateChat?.chat);

  let queries = 0;
  const { db } = kit.server.context;
  const counting: Queryable = {
    query: (sql, params) => {
      queries++;
      return db.query(sql, params);
    },
    exec: (sql) => db.exec(sql),
  };
  const dialogs = new DialogsForSending(counting);
  const open = (userId: number, ref: Parameters<DialogsForSending['open']>[2]) => dialogs.open(acme.id, userId, ref);
  const [toBob, toCarol, toSelf, toDave, toNobody, inOurs, inTheirs, privateById, missingChat] = await Promise.all([
    open(alice.id, { kind: 'user', userId: bob.id }),
    open(alice.id, { kind: 'user', userId: carol.id }),
    open(alice.id, { kind: 'user', userId: alice.id }),
    open(alice.id, { kind: 'user', userId: dave.id }),
    open(alice.id, { kind: 'user', userId: 2_000_000_000 }),
    open(alice.id, { kind: 'chat', chatId: ours }),
    open(alice.id, { kind: 'chat', chatId: theirs }),
    open(alice.id, { kind: 'chat', chatId: privateChat.chat.id }),
    open(alice.id, { kind: 'chat', chatId: 2_000_000_000 }),
  ]);
  assert.equal(queries, 1, 'one query for all nine');

  assert.equal(toBob?.chat?.id, privateChat.chat.id, 'the dialog with Bob, opened by its first message');
  assert.equal(toBob?.member?.role, 'member');
  assert.equal(toBob?.author?.first_name, 'Alice');
  assert.equal(toBob?.companion?.first_name, 'Bob');
  assert.equal(toCarol?.chat, null, 'a dialog with no message yet has no chat');
  assert.equal(toCarol?.companion?.first_name, 'Carol');
  assert.equal(toSelf?.companion?.id, alice.id, 'writing to yourself');
  assert.equal(toDave, null, 'a user of another portal is not found');
  assert.equal(toNobody, null);
  assert.equal(inOurs?.chat?.title, 'Ours');
  assert.equal(inOurs?.member?.role, 'owner');
  assert.equal(inOurs?.companion, null);
  assert.equal(inTheirs?.chat?.title, 'Theirs', 'a chat Alice is not in is found...');
  assert.equal(inTheirs?.member, null, '...without her membership');
  assert.equal(privateById, null, 'a one-to-one chat is not addressed by its chat id');
  assert.equal(missingChat, null);
});

test('the lookup reads by index only, so sending does not slow down as the portal grows', async () => {
  const { alice, bob, acme } = kit;
  const { db } = kit.server.context;
  const capturing = capturingSql(db);
  assert.ok(await new DialogsForSending(capturing).open(acme.id, alice.id, { kind: 'user', userId: bob.id }));
  const [lookup] = capturing.statements;
  const plan = await genericPlanOf(
    db,
    lookup ?? '',
    ['int[]', 'int[]', 'int[]', 'int[]'],
    ["'{1}'", "'{1}'", "'{NULL}'", "'{2}'"],
  );
  assert.doesNotMatch(plan, /Seq Scan|Hash/, plan);
  for (const table of ['im_private_dialogs', 'im_chats', 'im_chat_members', 'users']) {
    assert.match(plan, new RegExp(`Index Scan using \\w+ on ${table}`), plan);
  }
});
