import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ImUserView, PullConfig, PushEnvelope } from '@portaldesk/protocol';
import WebSocket from 'ws';
import { atomDate } from '../messenger/atom-date.ts';
import type { Portal } from '../portals/portal.ts';
import type { AuthContext } from '../rest/auth-context.ts';
import { localhostLookup, PullTestClient } from '../testing/pull-test-client.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

let server: TestServer;
let acme: Portal;
let globex: Portal;
let alice: number;
let bob: number;
let gina: number;

before(async () => {
  server = await startTestServer({ config: {} });
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  globex = await server.context.portals.create({ domain: 'globex.localhost', name: 'Globex' });
  alice = (await server.context.users.create(acme.id, { firstName: 'Alice', lastName: 'A' })).id;
  bob = (await server.context.users.create(acme.id, { firstName: 'Bob', lastName: 'B' })).id;
  gina = (await server.context.users.create(globex.id, { firstName: 'Gina', lastName: 'G' })).id;
});
const openClients: PullTestClient[] = [];
after(async () => {
  for (const client of openClients) if (client.closeCode === null) client.socket.terminate();
  await server.close();
});

/** The user's own session asking for its config, as `pull.config.get` does once auth has identified it. */
function sessionOf(portal: Portal, userId: number, credentialId = `session-${userId}`): AuthContext {
  return { portal, userId, via: 'session', scopes: 'all', mayChangeState: true, credentialId };
}

async function configFor(auth: AuthContext): Promise<PullConfig> {
  return server.context.realtime.config(auth, 'private');
}

function channelUrl(config: PullConfig, extra = ''): string {
  const ids = `${config.channels.private.id}/${config.channels.shared.id}`;
  return `${config.server.websocket}?CHANNEL_ID=${encodeURIComponent(ids)}&revision=19${extra}`;
}

async function connect(auth: AuthContext, extra = '', mode: 'json-rpc' | 'json' = 'json-rpc') {
  const client = PullTestClient.connect(channelUrl(await configFor(auth), extra), mode);
  openClients.push(client);
  await client.opened;
  return client;
}

async function publish(portalId: number, userIds: number[], n: number, command = 'message') {
  const { db, events } = server.context;
  const recorded = await db.transaction((tx) =>
    events.record(tx, portalId, userIds, { moduleId: 'im', command, params: { n } }),
  );
  events.announce(recorded);
  return recorded;
}

/** Waits until the server has registered the socket and settled its resume point. */
async function settled(client: PullTestClient) {
  const answer = await client.call('ping');
  assert.equal(answer.result, 'pong');
}

test('pull.config.get answers the documented shape with signed, expiring channels', async () => {
  const config = await configFor(sessionOf(acme, alice));
  assert.equal(config.server.version, 5);
  assert.equal(config.server.server_enabled, true);
  assert.equal(config.server.websocket_enabled, true);
  assert.match(config.server.websocket, /^ws:\/\/acme\.localhost:\d+\/bitrix\/subws\/$/);
  assert.equal(config.server.websocket_secure, config.server.websocket);
  assert.equal(typeof config.server.long_pooling_secure, 'string');
  assert.equal(config.api.revision_web, 19);
  for (const channel of [config.channels.private, config.channels.shared]) {
    const lifetime = Date.parse(channel.end) - Date.parse(channel.start);
    assert.ok(lifetime >= 11 * 3600_000 && lifetime <= 12 * 3600_000, 'a channel lives about 12 hours');
    assert.match(channel.id, /^[0-9a-f]{32}\.[0-9a-f]{40}$/);
  }
  assert.equal(config.channels.private.type, 'private');
  assert.equal(config.channels.shared.type, 'shared');
  assert.ok(config.publicChannels[alice]);
  assert.equal(typeof config.jwt, 'string');
  assert.ok(config.exp * 1000 > Date.now());
  // The same session asking again keeps its channel; another session of the same user gets its own.
  assert.equal((await configFor(sessionOf(acme, alice))).channels.private.id, config.channels.private.id);
  const other = await configFor(sessionOf(acme, alice, 'another-session'));
  assert.notEqual(other.channels.private.id, config.channels.private.id);
  assert.equal(other.channels.shared.id, config.channels.shared.id);
});

test('pull.config.get over REST needs a caller', async () => {
  const res = await server.fetch(`${server.portalUrl('acme.localhost')}/rest/pull.config.get.json`);
  assert.equal(res.status, 401);
  assert.equal(((await res.json()) as { error: string }).error, 'NO_AUTH_FOUND');
});

test('JSON-RPC mode: incoming.message carries the envelope, and the client calls work', async () => {
  const client = await connect(sessionOf(acme, alice));
  await settled(client);
  const recorded = await publish(acme.id, [alice], 1);
  await client.waitForCount(1);
  const frame = client.received[0]?.raw as { jsonrpc: string; method: string; params: Record<string, unknown> };
  assert.equal(frame.jsonrpc, '2.0');
  assert.equal(frame.method, 'incoming.message');
  const seq = recorded.entries[0]?.seq;
  assert.equal(frame.params.mid, String(seq));
  assert.deepEqual(frame.params.sender, { type: 2, id: '' });
  const body = frame.params.body as {
    module_id: string;
    command: string;
    params: unknown;
    extra: Record<string, unknown>;
  };
  assert.equal(body.module_id, 'im');
  assert.equal(body.command, 'message');
  assert.deepEqual(body.params, { n: 1 });
  assert.equal(body.extra.revision_web, 19);
  assert.deepEqual(
    body.extra.sender,
    { type: 2, id: '' },
    'the server as the sender, where the official client reads it',
  );
  assert.equal(typeof body.extra.server_time, 'string');
  assert.ok(Math.abs((body.extra.server_time_unix as number) - Date.now() / 1000) < 60);

  const channels = (await client.call('listChannels')).result as { channels: { type: string }[] };
  assert.deepEqual(
    channels.channels.map((c) => c.type),
    ['private', 'shared'],
  );
  const unknown = await client.call('noSuchMethod');
  assert.deepEqual(unknown.error, { code: -32601, message: 'Method not found' });
  const bad = await client.call('getUsersLastSeen', { userList: 'everyone' });
  assert.equal((bad.error as { code: number }).code, -32602);
  await client.close();
});

test('plain JSON mode: arrays of envelopes {id, mid, channel, tag, time, text, extra}', async () => {
  const client = await connect(sessionOf(acme, bob), '', 'json');
  await new Promise((r) => setTimeout(r, 100));
  const recorded = await publish(acme.id, [bob], 2);
  await client.waitForCount(1);
  const envelope = client.received[0]?.raw as PushEnvelope;
  const seq = recorded.entries[0]?.seq as number;
  assert.equal(envelope.id, seq);
  assert.equal(envelope.mid, String(seq));
  assert.match(envelope.channel, /^[0-9a-f]{32}$/);
  assert.equal(typeof envelope.tag, 'string');
  assert.ok(!Number.isNaN(Date.parse(envelope.time)));
  assert.deepEqual(envelope.text, { module_id: 'im', command: 'message', params: { n: 2 } });
  assert.equal(envelope.extra.revision_web, 19);
  assert.deepEqual(envelope.extra.sender, { type: 2, id: '' }, 'sent by the server');
  assert.equal(typeof envelope.extra.server_time_unix, 'number');
  await client.close();
});

test('a forged, foreign or missing channel is closed with 4010 and receives nothing', async () => {
  const config = await configFor(sessionOf(acme, alice));
  const forged = config.channels.private.id.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
  const cases = [
    `${config.server.websocket}?CHANNEL_ID=${forged}&jsonRpc=true`,
    // A channel of Acme presented at Globex's address.
    channelUrl(config).replace('acme.localhost', 'globex.localhost'),
    `${config.server.websocket}?jsonRpc=true`,
    `${config.server.websocket}?token=not.a.jwt&jsonRpc=true`,
  ];
  for (const url of cases) {
    const client = PullTestClient.connect(url);
    assert.equal(await client.closedWithin(), 4010, url.replace(/CHANNEL_ID=[^&]+/, 'CHANNEL_ID=…'));
    assert.equal(client.received.length, 0);
  }
});

test('token= from the config connects like CHANNEL_ID', async () => {
  const config = await configFor(sessionOf(globex, gina));
  const client = PullTestClient.connect(`${config.server.websocket}?token=${config.jwt}&revision=19`);
  openClients.push(client);
  await client.opened;
  await settled(client);
  await publish(globex.id, [gina], 3);
  await client.waitForCount(1);
  assert.deepEqual(client.received[0]?.params, { n: 3 });
  await client.close();
});

test('resume: 100 events published while away arrive once each, in order, then live continues', async () => {
  const first = await connect(sessionOf(acme, alice));
  await settled(first);
  await publish(acme.id, [alice], 0);
  await first.waitForCount(1);
  const mid = first.lastMid;
  await first.close();
  for (let n = 1; n <= 100; n++) await publish(acme.id, [alice, bob], n);
  const second = await connect(sessionOf(acme, alice), `&mid=${mid}`);
  await second.waitForCount(100);
  await publish(acme.id, [alice], 101);
  await second.waitForCount(101);
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(
    second.received.map((p) => p.params.n),
    Array.from({ length: 101 }, (_, i) => i + 1),
  );
  const seqs = second.received.map((p) => Number(p.mid));
  assert.deepEqual(
    seqs,
    seqs.map((_, i) => Number(mid) + 1 + i),
  );
  await second.close();
});

test('resume while events keep coming: no gap and no duplicate at the switch to live', async () => {
  const first = await connect(sessionOf(acme, bob));
  await settled(first);
  await publish(acme.id, [bob], 0);
  await first.waitForCount(1);
  const mid = first.lastMid;
  await first.close();
  let n = 0;
  let writing = true;
  const writer = (async () => {
    while (writing) {
      await publish(acme.id, [bob], ++n);
      // Lets sockets and timers run between writes, as real requests would.
      await new Promise((r) => setImmediate(r));
    }
  })();
  await new Promise((r) => setTimeout(r, 150));
  const second = await connect(sessionOf(acme, bob), `&mid=${mid}`);
  await new Promise((r) => setTimeout(r, 300));
  writing = false;
  await writer;
  await second.waitForCount(n);
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(
    second.received.map((p) => p.params.n),
    Array.from({ length: n }, (_, i) => i + 1),
  );
  await second.close();
});

test('a resume point older than the kept history gets a resync command, then live events', async () => {
  const client = await connect(sessionOf(globex, gina));
  await settled(client);
  await publish(globex.id, [gina], 1);
  await client.waitForCount(1);
  const oldMid = client.lastMid;
  await client.close();
  await publish(globex.id, [gina], 2);
  await publish(globex.id, [gina], 3);
  // Everything up to now is pruned, as the periodic pruning does with events past retention.
  await server.context.events.prune(new Date(Date.now() + 60_000));
  const last = await server.context.events.lastSeq(gina);
  const back = await connect(sessionOf(globex, gina), `&mid=${oldMid}`);
  await back.waitForCount(1);
  assert.deepEqual(
    [back.received[0]?.moduleId, back.received[0]?.command, back.received[0]?.params],
    ['pull', 'resync', { reason: 'history_pruned', mid: String(last) }],
  );
  await publish(globex.id, [gina], 4);
  await back.waitForCount(2);
  assert.equal(back.received[1]?.mid, String(last + 1));
  assert.deepEqual(back.received[1]?.params, { n: 4 });
  await back.close();
  // A mid this server never gave (a reset database, another deployment) is treated the same way.
  const stranger = await connect(sessionOf(globex, gina), `&mid=${last + 1000}`);
  await stranger.waitForCount(1);
  assert.equal(stranger.received[0]?.command, 'resync');
  assert.equal(stranger.received[0]?.params.reason, 'unknown_mid');
  await stranger.close();
});

test('revoking the session closes its socket at once and its channel stops working', async () => {
  const auth = sessionOf(acme, bob, 'session-to-revoke');
  const config = await configFor(auth);
  const client = PullTestClient.connect(channelUrl(config));
  openClients.push(client);
  await client.opened;
  await settled(client);
  const bystander = await connect(sessionOf(acme, bob, 'session-that-stays'));
  await settled(bystander);
  await server.context.realtime.revokeCredential('session-to-revoke');
  assert.equal(await client.closedWithin(), 4010);
  const again = PullTestClient.connect(channelUrl(config));
  assert.equal(await again.closedWithin(), 4010);
  await publish(acme.id, [bob], 1);
  await bystander.waitForCount(1);
  assert.equal(bystander.closeCode, null);
  await bystander.close();
});

/** `im.user.get` as Alice asks it. */
async function userGet(userId: number): Promise<ImUserView> {
  const answer = await server.context.dispatcher.invoke({
    method: 'im.user.get',
    params: { ID: userId },
    auth: sessionOf(acme, alice, 'user-get'),
    ip: '127.0.0.1',
  });
  return answer.result as ImUserView;
}

test('presence: status changes for subscribers, last seen (also in im.user.get), and desktopOnline/desktopOffline', async () => {
  // Bob's sockets from earlier tests have gone; their presence writes finish first.
  await server.context.realtime.userPresence.settled();
  const watcher = await connect(sessionOf(acme, alice, 'watcher'));
  await settled(watcher);
  const sub = await watcher.call('subscribeStatusChange', { userId: bob });
  assert.deepEqual(sub.result, {});
  // A user of another portal cannot be watched.
  assert.equal(
    ((await watcher.call('subscribeStatusChange', { userId: gina })).error as { code: number }).code,
    -32602,
  );

  const web = await connect(sessionOf(acme, bob, 'bob-web'));
  const isOnline = (p: { command: string; params: Record<string, unknown> }) =>
    p.command === 'userStatusChange' && p.params.online === true;
  await watcher.waitFor((c) => c.received.some(isOnline), 5000, 'online');
  const online = watcher.received.find(isOnline);
  assert.equal(online?.moduleId, 'online');
  assert.deepEqual(online?.params, { user_id: bob, online: true });
  const seen = (await watcher.call('getUsersLastSeen', { userList: [bob, gina] })).result;
  assert.deepEqual(seen, { [bob]: 0 });

  const desktop = await connect(sessionOf(acme, bob, 'bob-desktop'), '&clientType=desktop');
  await web.waitFor((c) => c.received.some((p) => p.command === 'desktopOnline'), 5000, 'desktopOnline');
  const whileOnline = await userGet(bob);
  assert.ok(Date.parse(String(whileOnline.last_activity_date)) > Date.now() - 5_000, 'online: active now');
  assert.ok(Date.parse(String(whileOnline.desktop_last_date)) > Date.now() - 5_000, 'desktop connected now');
  await desktop.close();
  await web.waitFor((c) => c.received.some((p) => p.command === 'desktopOffline'), 5000, 'desktopOffline');
  await web.close();
  await watcher.waitFor(
    (c) => c.received.some((p) => p.command === 'userStatusChange' && p.params.online === false),
    5000,
    'offline',
  );
  const presence = await server.context.realtime.presence.lastSeen(acme.id, [bob]);
  assert.equal(presence.get(bob)?.online, false);
  assert.ok((presence.get(bob)?.lastSeenAt?.getTime() ?? 0) > Date.now() - 60_000);
  const afterwards = await userGet(bob);
  assert.equal(afterwards.last_activity_date, atomDate(presence.get(bob)?.lastSeenAt as Date), 'offline: last seen');
  assert.equal(afterwards.desktop_last_date, false);
  const neverSeen = (await server.context.users.create(acme.id, { firstName: 'Nora', lastName: 'N' })).id;
  assert.equal((await userGet(neverSeen)).last_activity_date, false);
  await watcher.close();
});

/** A socket in the older servers' text mode (no `jsonRpc`, no `format`): its envelopes, unwrapped. */
async function connectTextMode(auth: AuthContext) {
  const config = await configFor(auth);
  const ids = encodeURIComponent(`${config.channels.private.id}/${config.channels.shared.id}`);
  const socket = new WebSocket(`${config.server.websocket}?CHANNEL_ID=${ids}`, { lookup: localhostLookup });
  const envelopes: PushEnvelope[] = [];
  socket.on('message', (data) => {
    for (const [, json] of data.toString().matchAll(/#!NGINXNMS!#(.*?)#!NGINXNME!#/g)) {
      envelopes.push(JSON.parse(json as string) as PushEnvelope);
    }
  });
  await new Promise((resolve) => socket.once('open', resolve));
  return { socket, envelopes };
}

const forgedMessage = (text: string) => ({
  module_id: 'im',
  command: 'message',
  params: { dialogId: alice, message: { id: 1, senderId: alice, text } },
});

test("what a client publishes reaches users of its portal, marked as that client's in every mode", async () => {
  const sender = await connect(sessionOf(acme, alice, 'publisher'));
  const rpc = await connect(sessionOf(acme, bob, 'recipient-rpc'));
  const json = await connect(sessionOf(acme, bob, 'recipient-json'), '', 'json');
  const text = await connectTextMode(sessionOf(acme, bob, 'recipient-text'));
  const outsider = await connect(sessionOf(globex, gina, 'outsider'));
  await Promise.all([settled(sender), settled(rpc), settled(outsider)]);
  // Gina's id is of another portal: dropped, as an id that does not exist would be.
  const answer = await sender.call('publish', { userList: [bob, gina], body: forgedMessage('not from the server') });
  assert.equal(answer.result, true);
  const fromAlice = { type: 1, id: String(alice) };
  for (const client of [rpc, json]) {
    await client.waitFor((c) => c.received.some((p) => p.command === 'message'), 5000, `publish (${client.mode})`);
    const push = client.received.find((p) => p.command === 'message');
    assert.deepEqual(push?.sender, fromAlice, client.mode);
    const raw = push?.raw as { params?: { body: PushEnvelope['text'] & { extra: PushEnvelope['extra'] } } };
    if (client.mode === 'json-rpc') assert.deepEqual(raw.params?.body.extra.sender, fromAlice);
  }
  const deadline = Date.now() + 5000;
  while (text.envelopes.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(text.envelopes[0]?.extra.sender, fromAlice, 'text mode');
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(outsider.received, [], 'nothing reaches a user of another portal');
  text.socket.terminate();
  await Promise.all([sender.close(), rpc.close(), json.close(), outsider.close()]);
});

test('client publishing is size and rate limited per user, with JSON-RPC errors', async () => {
  const limits = server.context.pullPublishLimiter.settings;
  const saved = { ...limits };
  // A user of their own, whose limit no earlier test has used.
  const lena = (await server.context.users.create(acme.id, { firstName: 'Lena', lastName: 'L' })).id;
  const sender = await connect(sessionOf(acme, lena, 'limited-1'));
  const secondTab = await connect(sessionOf(acme, lena, 'limited-2'));
  const recipient = await connect(sessionOf(acme, bob, 'limited-recipient'));
  await Promise.all([settled(sender), settled(secondTab), settled(recipient)]);
  try {
    const tooLarge = await sender.call('publish', { userList: [bob], body: forgedMessage('x'.repeat(9 * 1024)) });
    assert.deepEqual(tooLarge.error, { code: -32001, message: 'Message too large' });

    Object.assign(limits, { burst: 3, drainPerSecond: 0.001 });
    const publish = (client: PullTestClient, n: number) =>
      client.call('publish', { userList: [bob], body: { module_id: 'test', command: 'n', params: { n } } });
    for (let n = 1; n <= 3; n++) assert.equal((await publish(sender, n)).result, true);
    const refused = { code: -32000, message: 'Too many requests' };
    assert.deepEqual((await publish(sender, 4)).error, refused);
    // Another socket of the same user shares the limit.
    assert.deepEqual((await publish(secondTab, 5)).error, refused);
    await recipient.waitForCount(3);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(
      recipient.received.map((p) => p.params.n),
      [1, 2, 3],
      'only what was accepted arrives; the oversized one never does',
    );
    const invalid = { code: -32602, message: 'Invalid params' };
    assert.deepEqual((await sender.call('publish', { userList: [], body: { module_id: 'im' } })).error, invalid);
    const beyondInt32 = { userList: [2_147_483_648], body: { module_id: 'test', command: 'n' } };
    assert.deepEqual((await sender.call('publish', beyondInt32)).error, invalid);
    assert.deepEqual((await sender.call('subscribeStatusChange', { userId: 99_999_999_999 })).error, invalid);
  } finally {
    Object.assign(limits, saved);
    await Promise.all([sender.close(), secondTab.close(), recipient.close()]);
  }
});

test('the mid of an unstored push (typing) is a resume point too', async () => {
  const client = await connect(sessionOf(acme, alice, 'typing-resume'));
  await settled(client);
  await publish(acme.id, [alice], 1);
  server.context.events.pushTransient(acme.id, [alice], { moduleId: 'im', command: 'startWriting', params: {} });
  await client.waitForCount(2);
  const typingMid = client.lastMid as string;
  assert.match(typingMid, /^\d+\.\d+$/);
  assert.equal(typingMid.split('.')[0], client.received[0]?.mid);
  await client.close();
  for (let n = 2; n <= 4; n++) await publish(acme.id, [alice], n);
  const back = await connect(sessionOf(acme, alice, 'typing-resume'), `&mid=${typingMid}`);
  await back.waitForCount(3);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(
    back.received.map((p) => p.params.n),
    [2, 3, 4],
  );
  await back.close();
});

test('one user may hold at most 50 sockets on a process', async () => {
  const config = await configFor(sessionOf(globex, gina, 'many-tabs'));
  const sockets = await Promise.all(
    Array.from({ length: 50 }, async () => {
      const client = PullTestClient.connect(channelUrl(config));
      await client.opened;
      return client;
    }),
  );
  const oneTooMany = PullTestClient.connect(channelUrl(config));
  assert.equal(await oneTooMany.closedWithin(), 1013);
  await Promise.all(sockets.map((s) => s.close()));
});

test('an event whose announcement was lost still reaches a connected client at the next catch-up', async () => {
  const client = await connect(sessionOf(acme, bob, 'lost-announcement'));
  await settled(client);
  const { db, events, realtime } = server.context;
  // Committed, but the process that wrote it never announced it (killed, or Redis was down).
  await db.transaction((tx) =>
    events.record(tx, acme.id, [bob], { moduleId: 'im', command: 'message', params: { n: 1 } }),
  );
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(client.received.length, 0);
  await realtime.hub.catchUp();
  await client.waitForCount(1);
  assert.deepEqual(client.received[0]?.params, { n: 1 });
  await client.close();
});

test('without jsonRpc or format, frames come wrapped as the older servers sent them', async () => {
  const config = await configFor(sessionOf(globex, gina, 'text-mode'));
  const ids = encodeURIComponent(`${config.channels.private.id}/${config.channels.shared.id}`);
  const socket = new WebSocket(`${config.server.websocket}?CHANNEL_ID=${ids}`, { lookup: localhostLookup });
  const frames: string[] = [];
  socket.on('message', (data) => frames.push(data.toString()));
  await new Promise((resolve) => socket.once('open', resolve));
  await new Promise((r) => setTimeout(r, 100));
  await publish(globex.id, [gina], 7);
  const deadline = Date.now() + 5000;
  while (frames.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const match = /^#!NGINXNMS!#(.*)#!NGINXNME!#$/.exec(frames[0] ?? '');
  assert.ok(match, 'the frame is wrapped in #!NGINXNMS!#…#!NGINXNME!#');
  const envelope = JSON.parse(match[1] as string) as PushEnvelope;
  assert.deepEqual(envelope.text.params, { n: 7 });
  assert.deepEqual(envelope.extra.sender, { type: 2, id: '' });
  socket.terminate();
});
