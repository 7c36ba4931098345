import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ImMessageEventParams } from '@portaldesk/protocol';
import type { Database } from '../../storage/database.ts';
import { capturingSql, genericPlanOf } from '../../testing/generic-plan.ts';
import type { Chat } from '../chats/chat.ts';
import { type MessengerTestKit, startMessengerTestKit, type TestUser } from '../testing/messenger-test-kit.ts';
import { MessageGroupCommit } from './message-group-commit.ts';
import { MessagePoster, type MessageToPost } from './message-poster.ts';

let kit: MessengerTestKit;
before(async () => {
  kit = await startMessengerTestKit();
});
after(() => kit.close());

/** Counts the transactions the database runs while `work` runs. */
async function countTransactions<T>(
  db: Database,
  work: () => Promise<T>,
): Promise<{ result: T; transactions: number }> {
  const original = db.transaction;
  let transactions = 0;
  const counting: Database['transaction'] = <R>(fn: Parameters<Database['transaction']>[0]) => {
    transactions++;
    return original.call(db, fn) as Promise<R>;
  };
  (db as { transaction: Database['transaction'] }).transaction = counting;
  try {
    return { result: await work(), transactions };
  } finally {
    (db as { transaction: Database['transaction'] }).transaction = original;
  }
}

const send = (from: TestUser, to: TestUser, text: string, uuid?: string) =>
  kit.call(from, 'im.message.add', { DIALOG_ID: to.id, MESSAGE: text, ...(uuid ? { UUID: uuid } : {}) }, 'oauth');

test('sends that arrive together are committed together, each once, with nothing out of order', async () => {
  const { alice, bob, carol } = kit;
  // Every dialog exists first: opening one is a transaction of its own.
  for (const [from, to] of [
    [alice, bob],
    [alice, carol],
    [bob, carol],
  ] as const)
    await send(from, to, 'hello');
  const marks = new Map([alice, bob, carol].map((u) => [u.id, 0]));
  for (const user of [alice, bob, carol]) marks.set(user.id, await kit.mark(user));

  const pairs = [
    [alice, bob],
    [alice, carol],
    [bob, carol],
  ] as const;
  const { result: ids, transactions } = await countTransactions(kit.server.context.db, () =>
    Promise.all(
      Array.from({ length: 30 }, (_, n) => {
        const [from, to] = pairs[n % 3] as (typeof pairs)[number];
        return send(from, to, `together ${n}`, `together-${n}`).then((r) => r.result as number);
      }),
    ),
  );
  assert.equal(new Set(ids).size, 30, 'every send has its own message id');
  assert.ok(transactions < 30, `30 sends took ${transactions} transactions`);

  for (const user of [alice, bob, carol]) {
    const events = await kit.eventsSince(user, marks.get(user.id) ?? 0);
    const messages = events.filter((e) => e.command === 'message');
    assert.equal(messages.length, 20, 'each user is in two of the three dialogs: 20 message events, none twice');
    const byChat = new Map<number, ImMessageEventParams[]>();
    for (const event of messages) {
      const params = event.params as unknown as ImMessageEventParams;
      byChat.set(params.chatId, [...(byChat.get(params.chatId) ?? []), params]);
    }
    for (const [, chatMessages] of byChat) {
      for (let i = 1; i < chatMessages.length; i++) {
        const [before, now] = [chatMessages[i - 1], chatMessages[i]];
        assert.equal(now?.message.prevId, before?.message.id, 'events come in chat order, each naming the one before');
      }
    }
  }
  // Bob was written 10 times by Alice and answered nobody: his counter says so.
  const recent = (await kit.call(bob, 'im.counters.get', {}, 'oauth')).result as { DIALOG: Record<string, number> };
  assert.equal(recent.DIALOG[String(alice.id)], 11, 'hello and ten more, unread');
});

test('a retried send that meets its first try in one group is stored once', async () => {
  const { alice, bob } = kit;
  const before = await kit.mark(bob);
  const [first, second] = await Promise.all([
    send(alice, bob, 'once, though sent twice', 'retry-together'),
    send(alice, bob, 'once, though sent twice', 'retry-together'),
  ]);
  assert.equal(first.result, second.result, 'both get the same id');
  const events = (await kit.eventsSince(bob, before)).filter((e) => e.command === 'message');
  assert.equal(events.length, 1, 'Bob hears of it once');
});

test('a send that fails does not fail the others committed with it', async () => {
  const { server, alice, bob, carol } = kit;
  const { db, events, messenger } = server.context;
  const groupCommit = new MessageGroupCommit(db, new MessagePoster(events, messenger.notifier), events);
  const chatOf = async (from: TestUser, to: TestUser): Promise<Chat> => {
    const opened = await messenger.directory.open(from.portal.id, from.id, { kind: 'user', userId: to.id });
    assert.ok(opened?.chat);
    return opened.chat;
  };
  const message = (chat: Chat, author: TestUser, text: string): MessageToPost => ({
    chat,
    authorId: author.id,
    companionId: null,
    text,
    params: {},
    replyId: null,
    uuid: null,
    system: false,
    countsAsUnread: true,
    date: new Date(),
    users: [],
  });
  const good = await chatOf(alice, bob);
  const alsoGood = await chatOf(bob, carol);
  // A chat that was deleted after the sender opened it.
  const gone: Chat = { ...good, id: 2_000_000_000 };
  const results = await Promise.allSettled([
    groupCommit.post(message(good, alice, 'fine')),
    groupCommit.post(message(gone, alice, 'lost')),
    groupCommit.post(message(alsoGood, bob, 'also fine')),
  ]);
  assert.equal(results[0]?.status, 'fulfilled');
  assert.equal(results[1]?.status, 'rejected');
  assert.equal(results[2]?.status, 'fulfilled');
  const stored = await db.query<{ text: string }>('SELECT text FROM im_messages WHERE text = ANY($1::text[])', [
    ['fine', 'lost', 'also fine'],
  ]);
  assert.deepEqual(stored.map((r) => r.text).sort(), ['also fine', 'fine']);
});

test('a repeated uuid is found by index, so sending does not slow down as messages pile up', async () => {
  const { server, alice, bob } = kit;
  const { db, events, messenger } = server.context;
  const opened = await messenger.directory.open(alice.portal.id, alice.id, { kind: 'user', userId: bob.id });
  assert.ok(opened?.chat);
  const chat = opened.chat;
  const poster = new MessagePoster(events, messenger.notifier);
  let write = '';
  await db.transaction(async (tx) => {
    const capturing = capturingSql(tx);
    const [outcome] = await poster.postMany(capturing, [
      {
        chat,
        authorId: alice.id,
        companionId: bob.id,
        text: 'planned',
        params: {},
        replyId: null,
        uuid: 'plan-check',
        system: false,
        countsAsUnread: true,
        date: new Date(),
        users: [],
      },
    ]);
    assert.equal(outcome?.kind, 'posted');
    write = capturing.statements.find((sql) => sql.includes('INSERT INTO im_messages')) ?? '';
  });
  const types = [
    'int[]',
    'int[]',
    'int[]',
    'boolean[]',
    'text[]',
    'text[]',
    'int[]',
    'text[]',
    'timestamptz[]',
    'boolean[]',
  ];
  const args = [
    "'{1}'",
    "'{1}'",
    "'{1}'",
    "'{f}'",
    "'{x}'",
    '\'{"{}"}\'',
    "'{NULL}'",
    "'{u}'",
    "'{2026-12-02}'",
    "'{t}'",
  ];
  const plan = await genericPlanOf(db, write, types, args);
  assert.doesNotMatch(plan, /Seq Scan/, plan);
  assert.match(plan, /Index (Only )?Scan using im_messages_author_uuid on im_messages/, plan);
});
