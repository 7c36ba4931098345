import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ImRecentItem, ImUserView, PullConfig, UserStatusEventParams } from '@portaldesk/protocol';
import { PullTestClient, type ReceivedPush } from '../../testing/pull-test-client.ts';
import { type MessengerTestKit, startMessengerTestKit, type TestUser } from '../testing/messenger-test-kit.ts';

let kit: MessengerTestKit;
const sockets: PullTestClient[] = [];
before(async () => {
  kit = await startMessengerTestKit();
  await kit.call(kit.bob, 'im.message.add', { DIALOG_ID: kit.alice.id, MESSAGE: 'hello Alice' });
  await kit.call(kit.bob, 'im.message.add', { DIALOG_ID: kit.carol.id, MESSAGE: 'hello Carol' });
});
after(async () => {
  await Promise.all(sockets.map((s) => s.close()));
  await kit.close();
});

/** The user's realtime socket, as their web page or desktop opens it. */
async function listen(user: TestUser): Promise<PullTestClient> {
  const config = (await kit.desktopOf(user).rest('pull.config.get', { CACHE: 'N' })).body.result as PullConfig;
  const channels = `${config.channels.private.id}/${config.channels.shared.id}`;
  const socket = PullTestClient.connect(`${config.server.websocket}?CHANNEL_ID=${encodeURIComponent(channels)}`);
  sockets.push(socket);
  await socket.opened;
  // Registered, and its presence written.
  assert.equal((await socket.call('ping')).result, 'pong');
  await kit.server.context.realtime.userPresence.settled();
  return socket;
}

/** What `online`/`userStatus` pushes said of `userId`, in order. */
function statusesOf(socket: PullTestClient, userId: number): UserStatusEventParams['users'][string][] {
  return socket.received
    .filter((p: ReceivedPush) => p.moduleId === 'online' && p.command === 'userStatus')
    .flatMap((p) => {
      const view = (p.params as UserStatusEventParams).users[String(userId)];
      return view ? [view] : [];
    });
}

async function userAsSeenBy(viewer: TestUser, user: TestUser): Promise<ImUserView> {
  return (await kit.call(viewer, 'im.user.get', { ID: user.id })).result as ImUserView;
}

test('a person who never chose a status is online by choice, and offline until they connect', async () => {
  const { carol, bob } = kit;
  assert.equal((await kit.call(carol, 'im.user.status.get')).result, 'online');
  const seen = await userAsSeenBy(bob, carol);
  assert.equal(seen.status, 'online');
  assert.equal(seen.idle, false);
  assert.equal(seen.last_activity_date, false, 'never connected: offline');
});

test('im.user.status.set keeps the status; colleagues read it in every user view', async () => {
  const { alice, bob } = kit;
  assert.equal((await kit.call(alice, 'im.user.status.set', { STATUS: 'dnd' })).result, true);
  assert.equal((await kit.call(alice, 'im.user.status.get')).result, 'dnd');
  assert.equal((await userAsSeenBy(bob, alice)).status, 'dnd');
  const recent = (await kit.call(bob, 'im.recent.get')).result as ImRecentItem[];
  assert.equal(recent.find((item) => item.id === alice.id)?.user?.status, 'dnd', 'the chat list');
  const history = (await kit.call(alice, 'im.dialog.messages.get', { DIALOG_ID: bob.id })).result as {
    users: ImUserView[];
  };
  assert.equal(history.users.find((u) => u.id === bob.id)?.status, 'online', "a history page's authors");
  const pair = (await kit.call(bob, 'im.dialog.users.list', { DIALOG_ID: alice.id })).result as ImUserView[];
  assert.equal(pair.find((u) => u.id === alice.id)?.status, 'dnd', "a dialog's members");
  const listed = (await kit.call(bob, 'im.user.list.get', { ID: [alice.id, bob.id] })).result as Record<
    string,
    ImUserView | null
  >;
  assert.equal(listed[alice.id]?.status, 'dnd', 'the pickers');
  assert.equal(listed[bob.id]?.status, 'online');
  // Through an incoming webhook with the im scope, too.
  assert.equal((await kit.call(alice, 'im.user.status.set', { STATUS: 'away' }, 'webhook')).result, true);
  assert.equal((await kit.call(alice, 'im.user.status.get', {}, 'webhook')).result, 'away');
  await kit.call(alice, 'im.user.status.set', { STATUS: 'online' });
  assert.equal((await userAsSeenBy(bob, alice)).status, 'online');
});

test('a value that is not a status is refused with STATUS_ERROR and changes nothing', async () => {
  const { alice } = kit;
  await kit.call(alice, 'im.user.status.set', { STATUS: 'away' });
  for (const STATUS of ['busy', '', 'DND ', ['dnd'], 7, null, undefined]) {
    const refused = await kit.fail(alice, 'im.user.status.set', STATUS === undefined ? {} : { STATUS });
    assert.deepEqual(refused, { code: 'STATUS_ERROR', status: 400 }, `STATUS ${JSON.stringify(STATUS)}`);
  }
  assert.equal((await kit.call(alice, 'im.user.status.get')).result, 'away');
  for (const AGO of [-1, 'soon', 10_000_000]) {
    const refused = await kit.fail(alice, 'im.user.status.idle.start', { AGO });
    assert.deepEqual(refused, { code: 'INVALID_ARG_VALUE', status: 400 }, `AGO ${JSON.stringify(AGO)}`);
  }
  assert.equal((await userAsSeenBy(kit.bob, alice)).idle, false);
  await kit.call(alice, 'im.user.status.set', { STATUS: 'online' });
});

test('another portal neither sees nor changes a status', async () => {
  const { alice, dave } = kit;
  await kit.call(alice, 'im.user.status.set', { STATUS: 'dnd' });
  assert.equal((await kit.fail(dave, 'im.user.get', { ID: alice.id })).code, 'USER_NOT_EXISTS');
  const listed = (await kit.call(dave, 'im.user.list.get', { ID: [alice.id] })).result;
  assert.deepEqual(listed, { [alice.id]: null });
  // Dave's own calls touch only Dave.
  await kit.call(dave, 'im.user.status.set', { STATUS: 'away' });
  assert.equal((await kit.call(dave, 'im.user.status.get')).result, 'away');
  assert.equal((await kit.call(alice, 'im.user.status.get')).result, 'dnd');
  const daveSocket = await listen(dave);
  const seen = (await daveSocket.call('getUsersLastSeen', { userList: [alice.id, dave.id] })).result;
  assert.deepEqual(seen, { [dave.id]: 0 }, "only Dave's own portal answers");
  const watch = await daveSocket.call('subscribeStatusChange', { userId: alice.id });
  assert.equal((watch.error as { code: number }).code, -32602);
  await kit.call(alice, 'im.user.status.set', { STATUS: 'online' });
  await kit.call(dave, 'im.user.status.set', { STATUS: 'online' });
  await daveSocket.waitFor((s) => statusesOf(s, dave.id).at(-1)?.status === 'online', 5000, "Dave's own change");
  assert.deepEqual(statusesOf(daveSocket, alice.id), [], "Alice's changes never reach Globex");
});

test('status changes and presence go live to the people who share a chat; user.get says IS_ONLINE', async () => {
  const { alice, bob } = kit;
  const bobSocket = await listen(bob);
  await kit.call(alice, 'im.user.status.set', { STATUS: 'dnd' });
  await bobSocket.waitFor((s) => statusesOf(s, alice.id).at(-1)?.status === 'dnd', 5000, 'dnd pushed');
  assert.equal(statusesOf(bobSocket, alice.id).at(-1)?.last_activity_date, false, 'still offline');
  const isOnline = async (user: TestUser) => {
    const { result } = await kit.call(bob, 'user.get', { ID: user.id });
    return (result as { IS_ONLINE: string }[])[0]?.IS_ONLINE;
  };
  assert.equal(await isOnline(alice), 'N');

  const aliceSocket = await listen(alice);
  await bobSocket.waitFor((s) => Boolean(statusesOf(s, alice.id).at(-1)?.last_activity_date), 5000, 'online');
  assert.equal(statusesOf(bobSocket, alice.id).at(-1)?.status, 'dnd', 'coming online keeps the chosen status');
  assert.equal(await isOnline(alice), 'Y');
  assert.ok(Date.parse(String((await userAsSeenBy(bob, alice)).last_activity_date)) > Date.now() - 60_000);
  // Her own clients hear it too, so a status set on one device shows on the others.
  await kit.call(alice, 'im.user.status.set', { STATUS: 'away' });
  await aliceSocket.waitFor((s) => statusesOf(s, alice.id).at(-1)?.status === 'away', 5000, 'own change');
  // Counted once Bob has it too, so the push awaited below is the one the close causes.
  await bobSocket.waitFor((s) => statusesOf(s, alice.id).at(-1)?.status === 'away', 5000, 'away reaches Bob');

  const before = statusesOf(bobSocket, alice.id).length;
  await aliceSocket.close();
  await bobSocket.waitFor((s) => statusesOf(s, alice.id).length > before, 5000, 'offline pushed');
  const offline = statusesOf(bobSocket, alice.id).at(-1);
  assert.equal(offline?.status, 'away');
  assert.equal(await isOnline(alice), 'N');
  const lastSeen = Date.parse(String(offline?.last_activity_date));
  assert.ok(lastSeen > Date.now() - 60_000 && lastSeen <= Date.now() + 1000, 'offline, last seen just now');
  await kit.call(alice, 'im.user.status.set', { STATUS: 'online' });
});

test('im.user.status.idle.start and idle.end set and clear the automatic away', async () => {
  const { carol, bob } = kit;
  const bobSocket = await listen(bob);
  assert.equal((await kit.call(carol, 'im.user.status.idle.start', { AGO: 10 })).result, true);
  const idle = (await userAsSeenBy(bob, carol)).idle;
  assert.ok(idle, 'idle');
  const minutesAgo = (Date.now() - Date.parse(String(idle))) / 60_000;
  assert.ok(minutesAgo > 9 && minutesAgo < 11, `went away about 10 minutes ago (${minutesAgo})`);
  assert.equal((await kit.call(carol, 'im.user.status.get')).result, 'online', 'idle is not a chosen status');
  await bobSocket.waitFor((s) => Boolean(statusesOf(s, carol.id).at(-1)?.idle), 5000, 'idle pushed');
  assert.equal((await kit.call(carol, 'im.user.status.idle.end')).result, true);
  assert.equal((await userAsSeenBy(bob, carol)).idle, false);
  await bobSocket.waitFor((s) => statusesOf(s, carol.id).at(-1)?.idle === false, 5000, 'idle end pushed');
  // Without AGO: idle from now.
  await kit.call(carol, 'im.user.status.idle.start');
  assert.ok(Date.parse(String((await userAsSeenBy(bob, carol)).idle)) > Date.now() - 60_000);
  await kit.call(carol, 'im.user.status.idle.end');
});
