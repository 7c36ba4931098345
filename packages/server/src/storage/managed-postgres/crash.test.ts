import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CSRF_HEADER, type PullConfig, SESSION_COOKIE } from '@portaldesk/protocol';
import pg from 'pg';
import { localhostFetch } from '../../http-client/localhost-fetch.ts';
import { PullTestClient } from '../../testing/pull-test-client.ts';
import type { ChildSession } from '../../testing/realtime-child-orders.ts';
import { RealtimeChild } from '../../testing/realtime-children.ts';
import { MANAGED_DATABASE } from '../open-database.ts';
import { CLUSTER_SUPERUSER, clusterDirectory, readPassword } from './cluster-directory.ts';

// The default install: a server process with its own cluster in its data directory (no
// DATABASE_URL, no Redis). A sender streams messages; the server or the database is killed
// outright; after the restart every message acknowledged as sent is stored exactly once, and a
// recipient that resumes from where it was gets every message once, in order.

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const TEXT = 'crash ';

async function defaultInstall() {
  const dataDir = mkdtempSync(join(tmpdir(), 'portaldesk-crash-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const children: RealtimeChild[] = [];
  cleanups.push(() => Promise.all(children.map((c) => c.stop())).then(() => {}));
  const clients: PullTestClient[] = [];
  cleanups.push(() => {
    for (const client of clients) if (client.closeCode === null) client.socket.terminate();
  });
  const startServer = async () => {
    const child = await RealtimeChild.start('crash', {
      PORTALDESK_DATA: dataDir,
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      // The sender goes faster than a person; the limit is not what this tests.
      SEND_RATE_LIMIT: '100000/1',
      // Every send during the outage fails and would be logged (CRASH_LOG_LEVEL=warn shows it);
      // the test counts them itself.
      LOG_LEVEL: process.env.CRASH_LOG_LEVEL ?? 'fatal',
    });
    children.push(child);
    return child;
  };
  const first = await startServer();
  const { portalId, userIds } = await first.ask<{ portalId: number; userIds: number[] }>({
    type: 'setup',
    domain: 'acme.localhost',
    users: 2,
  });
  const [alice, carol] = userIds as [number, number];
  const sender = await first.ask<ChildSession>({ type: 'open-session', portalId, userId: alice });
  const config = await first.ask<PullConfig>({ type: 'config', portalId, userId: carol, credentialId: 'carol' });
  const connect = async (child: RealtimeChild, mid: string | null = null) => {
    const ids = encodeURIComponent(`${config.channels.private.id}/${config.channels.shared.id}`);
    const base = config.server.websocket.replace(/:\d+\//, `:${child.port}/`);
    const client = PullTestClient.connect(`${base}?CHANNEL_ID=${ids}&revision=19${mid ? `&mid=${mid}` : ''}`);
    clients.push(client);
    await client.opened;
    await client.call('ping');
    return client;
  };
  /** One im.message.add; the UUID makes a retry of the same message harmless. */
  const send = (child: RealtimeChild, n: number) =>
    localhostFetch(`http://acme.localhost:${child.port}/rest/im.message.add.json`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: `${SESSION_COOKIE}=${sender.token}`,
        [CSRF_HEADER]: sender.sessid,
      },
      body: JSON.stringify({ DIALOG_ID: carol, MESSAGE: `${TEXT}${n}`, UUID: `crash-${n}` }),
    }).catch(() => null);
  /** How many copies of each `crash <n>` the database holds, read straight from the cluster. */
  const stored = async () => {
    const dir = clusterDirectory(dataDir);
    const client = new pg.Client({
      host: dir.pgdata,
      port: 5432,
      user: CLUSTER_SUPERUSER,
      password: readPassword(dir),
      database: MANAGED_DATABASE,
    });
    await client.connect();
    try {
      const { rows } = await client.query<{ text: string; copies: number }>(
        'SELECT text, count(*)::int AS copies FROM im_messages WHERE author_id = $1 AND text LIKE $2 GROUP BY text',
        [alice, `${TEXT}%`],
      );
      return new Map(rows.map((r) => [Number(r.text.slice(TEXT.length)), r.copies]));
    } finally {
      await client.end();
    }
  };
  return { dataDir, first, startServer, connect, send, stored };
}

/** The numbers of the `crash <n>` messages a client received, in order. */
const texts = (client: PullTestClient) =>
  client.received
    .filter((p) => p.command === 'message')
    .map((p) => (p.params.message as { text: string }).text)
    .filter((t) => t.startsWith(TEXT))
    .map((t) => Number(t.slice(TEXT.length)));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function assertStoredOnce(copies: Map<number, number>, acked: readonly number[]): number {
  for (const n of acked) assert.equal(copies.get(n), 1, `acknowledged message ${n} is stored exactly once`);
  const highest = Math.max(...copies.keys());
  assert.deepEqual(
    [...copies.keys()].sort((x, y) => x - y),
    range(1, highest),
    'nothing missing, nothing twice',
  );
  return highest;
}

test('the server process is killed (SIGKILL): the next start has every acknowledged message once, and the resume has no gap', async () => {
  const install = await defaultInstall();
  const recipient = await install.connect(install.first);
  const acked: number[] = [];
  const streaming = (async () => {
    for (let n = 1; ; n++) {
      const res = await install.send(install.first, n);
      if (res?.status !== 200) return;
      acked.push(n);
    }
  })();
  await recipient.waitFor((c) => texts(c).length >= 30 && acked.length >= 20, 30_000, 'the stream');
  await install.first.kill();
  await streaming;
  await recipient.closedWithin();

  // The killed server's cluster still runs; the next server takes the data directory over.
  const restarted = await install.startServer();
  const highest = assertStoredOnce(await install.stored(), acked);
  const back = await install.connect(restarted, recipient.lastMid);
  assert.equal((await install.send(restarted, highest + 1))?.status, 200);
  await back.waitFor((c) => texts(recipient).length + texts(c).length >= highest + 1, 20_000, 'the rest');
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual([...texts(recipient), ...texts(back)], range(1, highest + 1));
});

test('the database process is killed (SIGKILL): sends fail until the server has restarted it, and then nothing is lost or doubled', async () => {
  const install = await defaultInstall();
  const server = install.first;
  const recipient = await install.connect(server);
  const acked: number[] = [];
  let failed = 0;
  let killedAt = 0;
  let midAtKill: string | null = null;
  let seenAtKill = 0;
  for (let n = 1; acked.length < killedAt + 40 || killedAt === 0; n++) {
    if (n === 40) {
      await recipient.waitFor((c) => texts(c).length >= 39, 20_000, 'the stream before the kill');
      midAtKill = recipient.lastMid;
      seenAtKill = texts(recipient).length;
      const postmaster = Number(
        readFileSync(join(install.dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
      );
      process.kill(postmaster, 'SIGKILL');
      killedAt = acked.length;
    }
    // The sender tries each message until it is acknowledged, as a client that got an error would.
    for (let attempt = 0; ; attempt++) {
      const res = await install.send(server, n);
      if (res?.status === 200) break;
      failed++;
      // A temporary failure in the REST shape, which clients (the official SDK too) retry.
      assert.equal(res?.status, 503, `a send while the database is down is answered 503, not ${res?.status}`);
      const body = (await res.json()) as { error: string; error_description: string };
      assert.equal(body.error, 'SERVICE_UNAVAILABLE');
      assert.match(body.error_description, /temporarily unavailable/);
      assert.ok(res.headers.get('retry-after'), 'it says when to try again');
      assert.ok(attempt < 300, `message ${n} got through once the database was back`);
      await new Promise((r) => setTimeout(r, 100));
    }
    acked.push(n);
  }
  assert.ok(failed > 0, 'sends failed while the database was down');
  const highest = assertStoredOnce(await install.stored(), acked);
  assert.equal(highest, acked.at(-1));

  const resumed = await install.connect(server, midAtKill);
  await resumed.waitFor((c) => texts(c).at(-1) === highest, 20_000, 'the resume');
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(texts(resumed), range(seenAtKill + 1, highest), 'the resume: every message once, in order');
});
