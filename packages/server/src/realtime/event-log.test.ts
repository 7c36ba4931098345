import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import type { Delivery } from './event-log.ts';

let server: TestServer;
let portalId: number;
let alice: number;
let bob: number;
before(async () => {
  server = await startTestServer();
  const portal = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  portalId = portal.id;
  alice = (await server.context.users.create(portalId, { firstName: 'Alice', lastName: 'A' })).id;
  bob = (await server.context.users.create(portalId, { firstName: 'Bob', lastName: 'B' })).id;
});
after(() => server.close());

const event = (n: number) => ({ moduleId: 'im', command: 'message', params: { n } });

test('each recipient gets the next number of its own sequence, and events replay in order', async () => {
  const { db, events } = server.context;
  const start = await events.lastSeq(alice);
  for (let n = 1; n <= 3; n++) {
    await db.transaction((tx) => events.record(tx, portalId, [alice, bob, alice], event(n)));
  }
  const replay = await events.readAfter(alice, start, 100);
  assert.deepEqual(
    replay.map((e) => [e.seq, e.event.params.n]),
    [
      [start + 1, 1],
      [start + 2, 2],
      [start + 3, 3],
    ],
  );
  assert.equal(await events.lastSeq(alice), start + 3);
});

test('an event recorded in a rolled-back transaction never existed and uses no number', async () => {
  const { db, events } = server.context;
  const before = await events.lastSeq(bob);
  await assert.rejects(
    db.transaction(async (tx) => {
      await events.record(tx, portalId, [bob], event(99));
      throw new Error('the change failed');
    }),
  );
  assert.equal(await events.lastSeq(bob), before);
  assert.deepEqual(await events.readAfter(bob, before, 10), []);
});

test('concurrent writers never give one user the same number twice', async () => {
  const { db, events } = server.context;
  const start = await events.lastSeq(alice);
  await Promise.all(
    Array.from({ length: 20 }, (_, n) => db.transaction((tx) => events.record(tx, portalId, [bob, alice], event(n)))),
  );
  const seqs = (await events.readAfter(alice, start, 100)).map((e) => e.seq);
  assert.deepEqual(
    seqs,
    Array.from({ length: 20 }, (_, i) => start + 1 + i),
  );
});

test('announce hands recorded events to listeners; transient events carry no number', async () => {
  const { db, events } = server.context;
  const seen: Delivery[] = [];
  const stop = events.onDelivery((d) => seen.push(d));
  const recorded = await db.transaction((tx) => events.record(tx, portalId, [bob], event(7)));
  events.announce(recorded);
  events.pushTransient(portalId, [alice], { moduleId: 'im', command: 'startWriting', params: {} });
  stop();
  events.pushTransient(portalId, [alice], { moduleId: 'im', command: 'startWriting', params: {} });
  assert.equal(seen.length, 2);
  assert.equal(seen[0]?.kind, 'recorded');
  assert.equal(seen[1]?.kind, 'transient');
});

test('recordEach gives every recipient params of their own, each under the next number of their sequence', async () => {
  const { db, events } = server.context;
  const startAlice = await events.lastSeq(alice);
  const startBob = await events.lastSeq(bob);
  const perUser = new Map([
    [bob, { counter: 2 }],
    [alice, { counter: 0 }],
  ]);
  const recorded = await db.transaction((tx) => events.recordEach(tx, portalId, 'im', 'messageChat', perUser));
  assert.equal(recorded.entries.length, 2);
  const [forAlice] = await events.readAfter(alice, startAlice, 10);
  const [forBob] = await events.readAfter(bob, startBob, 10);
  assert.deepEqual(forAlice?.event, { moduleId: 'im', command: 'messageChat', params: { counter: 0 } });
  assert.deepEqual(forBob?.event, { moduleId: 'im', command: 'messageChat', params: { counter: 2 } });
  assert.equal(forAlice?.seq, startAlice + 1);
  assert.equal(forBob?.seq, startBob + 1);
});

test('a command shared by many recipients is stored once and replays merged with each one’s own part', async () => {
  const { db, events } = server.context;
  const [aliceStart, bobStart] = [await events.lastSeq(alice), await events.lastSeq(bob)];
  const shared = { chatId: 7, message: { id: 70, text: 'hello', recipientId: 'chat7' }, users: { a: 1 } };
  const perUser = new Map([
    [alice, { counter: 0, message: { recipientId: alice } }],
    [bob, { counter: 4 }],
  ]);
  const recorded = await db.transaction((tx) =>
    events.recordShared(tx, portalId, 'im', 'messageChat', shared, perUser),
  );
  const expected = {
    [alice]: { chatId: 7, message: { id: 70, text: 'hello', recipientId: alice }, users: { a: 1 }, counter: 0 },
    [bob]: { chatId: 7, message: { id: 70, text: 'hello', recipientId: 'chat7' }, users: { a: 1 }, counter: 4 },
  };
  for (const entry of recorded.entries) assert.deepEqual(entry.event.params, expected[entry.userId]);
  const [aliceReplay] = await events.readAfter(alice, aliceStart, 10);
  const [bobReplay] = await events.readAfter(bob, bobStart, 10);
  assert.deepEqual(aliceReplay?.event, { moduleId: 'im', command: 'messageChat', params: expected[alice] });
  assert.deepEqual(bobReplay?.event, { moduleId: 'im', command: 'messageChat', params: expected[bob] });
  const [stored] = await db.query<{ n: number }>(
    'SELECT count(DISTINCT payload_id)::int AS n FROM user_events WHERE (user_id, seq) IN (($1, $2), ($3, $4))',
    [alice, aliceReplay?.seq, bob, bobReplay?.seq],
  );
  assert.equal(stored?.n, 1, 'one shared payload for both');
});
