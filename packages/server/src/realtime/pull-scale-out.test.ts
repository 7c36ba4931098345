import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CSRF_HEADER, type PullConfig, SESSION_COOKIE } from '@portaldesk/protocol';
import { localhostFetch } from '../http-client/localhost-fetch.ts';
import { PortalStore } from '../portals/portal-store.ts';
import type { Database } from '../storage/database.ts';
import { migrate } from '../storage/migrate.ts';
import { openPostgresDatabase, quoteIdentifier } from '../storage/postgres-database.ts';
import { PullTestClient } from '../testing/pull-test-client.ts';
import type { ChildSession } from '../testing/realtime-child-orders.ts';
import { RealtimeChild } from '../testing/realtime-children.ts';
import { UserStore } from '../users/user-store.ts';

// Several server processes share one PostgreSQL and one Redis; a managed cluster belongs to a
// single process, so these tests exist only where both servers are configured.
const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;

if (databaseUrl && redisUrl) {
  const schema = `t_rt_${process.pid}_${randomBytes(4).toString('hex')}`;
  let db: Database;
  let portalId: number;
  let alice: number;
  let bob: number;
  let carol: number;
  let gina: number;
  const children: RealtimeChild[] = [];
  const clients: PullTestClient[] = [];

  const startChild = async () => {
    // The crash test's sender goes faster than a person; the limit is not what it tests.
    const child = await RealtimeChild.start(schema, { SEND_RATE_LIMIT: '100000/1' });
    children.push(child);
    return child;
  };
  const configFrom = (child: RealtimeChild, userId: number, credentialId: string) =>
    child.ask<PullConfig>({ type: 'config', portalId, userId, credentialId });
  const urlAt = (config: PullConfig, port: number, mid: string | null) => {
    const ids = encodeURIComponent(`${config.channels.private.id}/${config.channels.shared.id}`);
    const base = config.server.websocket.replace(/:\d+\//, `:${port}/`);
    return `${base}?CHANNEL_ID=${ids}&revision=19${mid ? `&mid=${mid}` : ''}`;
  };
  const connect = async (
    config: PullConfig,
    child: RealtimeChild,
    mid: string | null = null,
    mode: 'json-rpc' | 'json' = 'json-rpc',
  ) => {
    const client = PullTestClient.connect(urlAt(config, child.port, mid), mode);
    clients.push(client);
    await client.opened;
    return client;
  };
  const numbers = (client: PullTestClient) => client.received.map((p) => p.params.n as number);
  /** The numbers of the `crash <n>` messages a client received, in order. */
  const texts = (client: PullTestClient) =>
    client.received
      .filter((p) => p.command === 'message')
      .map((p) => (p.params.message as { text: string }).text)
      .filter((t) => t.startsWith('crash '))
      .map((t) => Number(t.slice(6)));
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  before(async () => {
    db = await openPostgresDatabase({ connectionString: databaseUrl, schema });
    await migrate(db);
    const portal = await new PortalStore(db).create({ domain: 'acme.localhost', name: 'Acme' });
    portalId = portal.id;
    const users = new UserStore(db);
    alice = (await users.create(portalId, { firstName: 'Alice', lastName: 'A' })).id;
    bob = (await users.create(portalId, { firstName: 'Bob', lastName: 'B' })).id;
    carol = (await users.create(portalId, { firstName: 'Carol', lastName: 'C' })).id;
    const globex = await new PortalStore(db).create({ domain: 'globex.localhost', name: 'Globex' });
    gina = (await users.create(globex.id, { firstName: 'Gina', lastName: 'G' })).id;
  });

  after(async () => {
    for (const client of clients) if (client.closeCode === null) client.socket.terminate();
    await Promise.all(children.map((c) => c.stop()));
    await db.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await db.close();
  });

  test('two processes: sent on one, received on the other; the recipient moves over and resumes without a gap', async () => {
    const [one, two] = [await startChild(), await startChild()];
    const { id: sessionId } = await two.ask<ChildSession>({ type: 'open-session', portalId, userId: bob });
    const config = await configFrom(two, bob, sessionId);
    const onTwo = await connect(config, two);
    await onTwo.call('ping');
    for (let n = 1; n <= 20; n++) await one.ask({ type: 'publish', portalId, userIds: [alice, bob], n });
    await onTwo.waitForCount(20);
    const mid = onTwo.lastMid;
    await onTwo.close();
    for (let n = 21; n <= 40; n++) await one.ask({ type: 'publish', portalId, userIds: [bob], n });
    // The same channel works on any process: channels live in the shared database.
    const onOne = await connect(config, one, mid);
    await onOne.waitForCount(20);
    for (let n = 41; n <= 50; n++) await two.ask({ type: 'publish', portalId, userIds: [bob], n });
    await onOne.waitForCount(30);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(numbers(onTwo), range(1, 20));
    assert.deepEqual(numbers(onOne), range(21, 50));

    // Signing the session out on one process closes its sockets on every process.
    const elsewhere = await connect(config, two);
    await elsewhere.call('ping');
    assert.equal(await one.ask({ type: 'sign-out', portalId, userId: bob, sessionId }), true);
    assert.equal(await elsewhere.closedWithin(), 4010);
    assert.equal(await onOne.closedWithin(), 4010);
    assert.equal(await PullTestClient.connect(urlAt(config, two.port, null)).closedWithin(), 4010);
  });

  test("a client's publication keeps its sender across processes; its limit is the deployment's, not each process's", async () => {
    const [one, two] = [await startChild(), await startChild()];
    await Promise.all([one, two].map((child) => child.ask({ type: 'publish-limit', burst: 4, drainPerSecond: 0.001 })));
    const publisherOnOne = await connect(await configFrom(one, alice, 'publisher-one'), one);
    const publisherOnTwo = await connect(await configFrom(two, alice, 'publisher-two'), two);
    const rpcOnTwo = await connect(await configFrom(two, bob, 'bob-rpc'), two);
    const jsonOnTwo = await connect(await configFrom(two, bob, 'bob-json'), two, null, 'json');
    await Promise.all([publisherOnOne, publisherOnTwo, rpcOnTwo].map((client) => client.call('ping')));
    const publish = (client: PullTestClient, n: number) =>
      client.call('publish', {
        userList: [bob, gina],
        body: { module_id: 'im', command: 'message', params: { n, message: { senderId: carol, text: 'forged' } } },
      });
    const answers = [];
    for (let n = 1; n <= 3; n++) answers.push(await publish(publisherOnOne, n));
    answers.push(await publish(publisherOnTwo, 4));
    answers.push(await publish(publisherOnTwo, 5));
    answers.push(await publish(publisherOnOne, 6));
    assert.deepEqual(
      answers.map((a) => a.result ?? (a.error as { code: number }).code),
      [true, true, true, true, -32000, -32000],
      'four in all, whichever process the sockets are on',
    );
    // A server event right after: it arrives after the publications, marked as the server's.
    await one.ask({ type: 'publish', portalId, userIds: [bob], n: 100 });
    for (const client of [rpcOnTwo, jsonOnTwo]) {
      await client.waitFor(
        (c) => c.received.some((p) => p.params.n === 100),
        5000,
        `the server event (${client.mode})`,
      );
      // Events from the other process come through Redis, so they may pass one published here.
      const byNumber = client.received
        .map((p) => [p.params.n as number, p.sender] as const)
        .sort((a, b) => a[0] - b[0]);
      assert.deepEqual(
        byNumber,
        [
          [1, { type: 1, id: String(alice) }],
          [2, { type: 1, id: String(alice) }],
          [3, { type: 1, id: String(alice) }],
          [4, { type: 1, id: String(alice) }],
          [100, { type: 2, id: '' }],
        ],
        client.mode,
      );
    }
    // Gina is of another portal: she is never reached, on either process.
    const ginaOnTwo = await connect(await configFrom(two, gina, 'gina'), two);
    await ginaOnTwo.call('ping');
    assert.equal((await publish(publisherOnOne, 7)).error !== undefined, true, 'still over the limit');
    await one.ask({ type: 'publish-limit', burst: 100, drainPerSecond: 100 });
    assert.equal((await publish(publisherOnOne, 8)).result, true);
    await rpcOnTwo.waitFor((c) => c.received.some((p) => p.params.n === 8), 5000, 'the last publication');
    assert.deepEqual(ginaOnTwo.received, []);
  });

  test('an event for a large chat crosses the bus as numbers and is read from the log on the other side', async () => {
    const [one, two] = [await startChild(), await startChild()];
    const users = new UserStore(db);
    const members: number[] = [];
    for (let i = 0; i < 60; i++)
      members.push((await users.create(portalId, { firstName: `M${i}`, lastName: 'Big' })).id);
    const listener = members[59] as number;
    const onTwo = await connect(await configFrom(two, listener, 'big-chat-member'), two);
    await onTwo.call('ping');
    await one.ask({ type: 'publish', portalId, userIds: members, n: 1 });
    // Well before the periodic catch-up (30 s) would find it.
    await onTwo.waitForCount(1, 5000);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(numbers(onTwo), [1]);
    await onTwo.close();
  });

  test('crash: im.message.add streams, the process is killed; every acknowledged message is stored once and the resume has no gap', async () => {
    const doomed = await startChild();
    const sender = await doomed.ask<ChildSession>({ type: 'open-session', portalId, userId: alice });
    const config = await configFrom(doomed, carol, 'carol-session');
    const recipient = await connect(config, doomed);
    await recipient.call('ping');
    const acked: number[] = [];
    const send = (child: RealtimeChild, n: number) =>
      localhostFetch(`http://acme.localhost:${child.port}/rest/im.message.add.json`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: `${SESSION_COOKIE}=${sender.token}`,
          [CSRF_HEADER]: sender.sessid,
        },
        body: JSON.stringify({ DIALOG_ID: carol, MESSAGE: `crash ${n}` }),
      });
    // The sender sends one message after another; each counts once its answer says it is stored.
    const streaming = (async () => {
      for (let n = 1; ; n++) {
        const res = await send(doomed, n).catch(() => null);
        if (res?.status !== 200) return;
        acked.push(n);
      }
    })();
    await recipient.waitFor((c) => texts(c).length >= 30 && acked.length >= 20, 30_000, 'the stream');
    await doomed.kill();
    await streaming;
    await recipient.closedWithin();

    const stored = await db.query<{ text: string; copies: number }>(
      `SELECT text, count(*)::int AS copies FROM im_messages WHERE author_id = $1 AND text LIKE 'crash %' GROUP BY text`,
      [alice],
    );
    const copies = new Map(stored.map((r) => [Number(r.text.slice(6)), r.copies]));
    for (const n of acked) assert.equal(copies.get(n), 1, `acknowledged message ${n} is stored exactly once`);
    const highest = Math.max(...copies.keys());
    assert.deepEqual(
      [...copies.keys()].sort((x, y) => x - y),
      range(1, highest),
    );

    const restarted = await startChild();
    const back = await connect(config, restarted, recipient.lastMid);
    await back.call('ping');
    assert.equal((await send(restarted, highest + 1)).status, 200);
    await back.waitFor((c) => texts(recipient).length + texts(c).length >= highest + 1, 20_000, 'the rest');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual([...texts(recipient), ...texts(back)], range(1, highest + 1));
  });
}
