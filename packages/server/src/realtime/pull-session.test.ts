import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { B24PullClientManager } from '@bitrix24/b24jssdk';
import type { PullConfig } from '@portaldesk/protocol';
import WebSocket from 'ws';
import type { Portal } from '../portals/portal.ts';
import { createUserWithPassword } from '../testing/auth-fixtures.ts';
import { localhostLookup, PullTestClient } from '../testing/pull-test-client.ts';
import { TestDesktop } from '../testing/test-desktop.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

let server: TestServer;
let acme: Portal;
let alice: number;
let desktop: TestDesktop;

/** The browser bits the SDK's realtime client needs in Node, with `*.localhost` resolved locally. */
class LocalhostWebSocket extends WebSocket {
  constructor(url: string) {
    super(url, { lookup: localhostLookup });
  }
}
const browserGlobals = {
  WebSocket: LocalhostWebSocket,
  window: { WebSocket: LocalhostWebSocket, addEventListener() {}, removeEventListener() {} },
  document: { location: { href: 'http://acme.localhost/' } },
};

before(async () => {
  server = await startTestServer();
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  const user = { firstName: 'Alice', lastName: 'A', email: 'alice@acme.test' };
  alice = (await createUserWithPassword(server, acme.id, user, 'correct horse battery')).id;
  desktop = new TestDesktop(server, 'acme.localhost');
  const signedIn = await desktop.signIn('alice@acme.test', 'correct horse battery');
  assert.equal(signedIn.status, 200);
  Object.assign(globalThis, browserGlobals);
});
after(async () => {
  for (const key of Object.keys(browserGlobals)) delete (globalThis as Record<string, unknown>)[key];
  await server.close();
});

/** The SDK's REST entry point, answered by our server over real HTTP with the desktop's session. */
function restClientFor(client: TestDesktop) {
  return {
    actions: {
      v2: {
        call: {
          make: async ({ method, params }: { method: string; params: Record<string, unknown> }) => {
            const { status, body } = await client.rest(method, params);
            if (status !== 200) throw Object.assign(new Error(`${method} failed`), { status, body });
            return { getData: () => body, isSuccess: true };
          },
        },
      },
    },
  };
}

test("the official SDK's realtime client connects with pull.config.get and receives an event", async () => {
  const client = new B24PullClientManager({
    b24: restClientFor(desktop) as never,
    userId: alice,
    siteId: 's1',
    skipStorageInit: true,
  });
  const received: { params: unknown; command: string; extra: Record<string, unknown> }[] = [];
  client.subscribe({
    moduleId: 'im',
    callback: (data: { command: string; params: unknown; extra: Record<string, unknown> }) => received.push(data),
  });
  try {
    await client.start();
    assert.equal(client.isJsonRpc(), true);
    const { db, events } = server.context;
    const recorded = await db.transaction((tx) =>
      events.record(tx, acme.id, [alice], { moduleId: 'IM', command: 'message', params: { text: 'hello SDK' } }),
    );
    events.announce(recorded);
    const deadline = Date.now() + 10_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(received.length, 1);
    assert.equal(received[0]?.command, 'message');
    assert.deepEqual(received[0]?.params, { text: 'hello SDK' });
    // The SDK derives the age of the event from our server_time_unix.
    assert.equal(typeof received[0]?.extra.server_time_ago, 'number');
    assert.equal(client.session.mid, String(recorded.entries[0]?.seq));
  } finally {
    client.destroy();
  }
});

test('pull.application.config.get is refused for a session of the user', async () => {
  const forSession = await desktop.rest('pull.application.config.get');
  assert.equal(forSession.status, 403);
  assert.equal(forSession.body.error, 'WRONG_AUTH_TYPE');
});

test('signing out closes the socket of that session at once; its channel no longer connects', async () => {
  const bob = new TestDesktop(server, 'acme.localhost', { user_os_mark: 'machine-2', user_account: 'bob' });
  assert.equal((await bob.signIn('alice@acme.test', 'correct horse battery')).status, 200);
  const config = (await bob.rest('pull.config.get', { CACHE: 'N' })).body.result as PullConfig;
  const url = `${config.server.websocket}?CHANNEL_ID=${encodeURIComponent(`${config.channels.private.id}/${config.channels.shared.id}`)}`;
  const socket = PullTestClient.connect(url);
  await socket.opened;
  assert.equal((await socket.call('ping')).result, 'pong');
  assert.equal((await bob.rest('portaldesk.session.logout')).status, 200);
  assert.equal(await socket.closedWithin(), 4010);
  const again = PullTestClient.connect(url);
  assert.equal(await again.closedWithin(), 4010);
  // Alice's first desktop keeps its session and its pushes.
  assert.equal((await desktop.rest('pull.config.get')).status, 200);
});
