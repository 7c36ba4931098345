import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { B24Hook, B24PullClientManager, SubscriptionType } from '@bitrix24/b24jssdk';
import type { PullConfig } from '@portaldesk/protocol';
import WebSocket from 'ws';
import { localhostFetch } from '../http-client/localhost-fetch.ts';
import type { AuthContext } from '../rest/auth-context.ts';
import { localhostLookup, trustForNodeHttps, trustingAgent } from '../testing/localhost-https.ts';
import { PullTestClient } from '../testing/pull-test-client.ts';
import { callRest, createPortalWithUsers, type PortalFixture } from '../testing/rest-fixtures.ts';
import { createTestCertificates, type TestCertificates } from '../testing/test-certificates.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import type { User } from '../users/user.ts';

// A script on the official SDK (`@bitrix24/b24jssdk`) signed in with an incoming webhook, over
// https as the SDK requires: it gets its realtime channels from `pull.config.get`, as on a real
// portal, and tells the server's events from what a colleague's client published.
let certificates: TestCertificates;
let server: TestServer;
let acme: PortalFixture;
let untrust: () => void;

/** The browser bits the SDK's realtime client needs in Node, trusting the test CA. */
function browserGlobals(caCert: string) {
  class TrustingWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, { lookup: localhostLookup, ca: caCert });
    }
  }
  return {
    WebSocket: TrustingWebSocket,
    window: { WebSocket: TrustingWebSocket, addEventListener() {}, removeEventListener() {} },
    document: { location: { href: 'https://acme.localhost/' } },
  };
}
let globals: Record<string, unknown>;

before(async () => {
  certificates = await createTestCertificates(['acme.localhost']);
  const started = await startTestServer({
    config: { tls: { certFile: certificates.certFile, keyFile: certificates.keyFile } },
  });
  const agent = trustingAgent(certificates.caCert);
  server = { ...started, fetch: (url, init = {}) => localhostFetch(url, { ...init, dispatcher: agent }) };
  untrust = trustForNodeHttps(certificates.caCert);
  acme = await createPortalWithUsers(server, 'acme.localhost', 2);
  globals = browserGlobals(certificates.caCert);
  Object.assign(globalThis, globals);
});
after(async () => {
  for (const key of Object.keys(globals)) delete (globalThis as Record<string, unknown>)[key];
  untrust();
  await server.close();
  await certificates.remove();
});

async function until(what: string, condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A colleague's own socket, as the web UI holds one. */
async function colleagueSocket(userId: number): Promise<PullTestClient> {
  const auth: AuthContext = {
    portal: acme.portal,
    userId,
    via: 'session',
    scopes: 'all',
    mayChangeState: true,
    credentialId: `session-${userId}`,
  };
  const config = await server.context.realtime.config(auth, 'private');
  const ids = encodeURIComponent(`${config.channels.private.id}/${config.channels.shared.id}`);
  const client = PullTestClient.connect(
    `${config.server.websocket}?CHANNEL_ID=${ids}`,
    'json-rpc',
    certificates.caCert,
  );
  await client.opened;
  await client.call('ping');
  return client;
}

interface SdkPush {
  command: string;
  params: Record<string, unknown>;
  extra: { sender?: { type: number; id?: string } };
}

test("the SDK over a webhook receives the server's events; a colleague's publication reaches only its client subscription", async () => {
  const [owner, colleague] = [acme.users[0] as User, acme.users[1] as User];
  const created = await server.context.webhooks.create({ portalId: acme.portal.id, userId: owner.id, scopes: ['im'] });
  const hook = B24Hook.fromWebhookUrl(`${server.portalUrl('acme.localhost')}/rest/${owner.id}/${created.secret}`);
  hook.offClientSideWarning();
  const pull = new B24PullClientManager({ b24: hook, userId: owner.id, siteId: 's1', skipStorageInit: true });
  const asServer: SdkPush[] = [];
  const asClient: SdkPush[] = [];
  pull.subscribe({ moduleId: 'im', callback: (data: SdkPush) => asServer.push(data) });
  pull.subscribe({ type: SubscriptionType.Client, moduleId: 'im', callback: (data: SdkPush) => asClient.push(data) });
  const sender = await colleagueSocket(colleague.id);
  try {
    await pull.start();
    assert.equal(pull.isJsonRpc(), true);
    await until('connected', () => server.context.realtime.hub.socketsOf(owner.id) === 1);

    const forged = { message: { senderId: 1, text: 'IT here: re-enter your password' } };
    const published = await sender.call('publish', {
      userList: [owner.id],
      body: { module_id: 'im', command: 'message', params: forged },
    });
    assert.equal(published.result, true);
    const { db, events } = server.context;
    const recorded = await db.transaction((tx) =>
      events.record(tx, acme.portal.id, [owner.id], { moduleId: 'im', command: 'message', params: { text: 'real' } }),
    );
    events.announce(recorded);

    await until('both events', () => asServer.length + asClient.length >= 2);
    assert.deepEqual(
      asServer.map((p) => [p.params.text, p.extra.sender]),
      [['real', { type: 2, id: '' }]],
      'only what the server sent reaches the server subscription',
    );
    assert.deepEqual(
      asClient.map((p) => [p.params, p.extra.sender]),
      [[forged, { type: 1, id: String(colleague.id) }]],
    );
  } finally {
    pull.destroy();
    await sender.close();
  }
});

test('revoking a webhook closes the realtime socket opened with it, and its channel stops working', async () => {
  const owner = acme.users[1] as User;
  const created = await server.context.webhooks.create({ portalId: acme.portal.id, userId: owner.id, scopes: [] });
  const configUrl = `${server.portalUrl('acme.localhost')}${created.path}pull.config.get.json`;
  const answer = await callRest(server, configUrl);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const config = answer.body.result as PullConfig;
  const ids = encodeURIComponent(`${config.channels.private.id}/${config.channels.shared.id}`);
  const url = `${config.server.websocket}?CHANNEL_ID=${ids}`;
  const socket = PullTestClient.connect(url, 'json-rpc', certificates.caCert);
  await socket.opened;
  assert.equal((await socket.call('ping')).result, 'pong');

  // As the admin page's "delete" does.
  assert.equal(await server.context.webhooks.revoke(acme.portal.id, created.webhook.id, new Date()), true);
  assert.equal(await socket.closedWithin(), 4010);
  assert.equal(await PullTestClient.connect(url, 'json-rpc', certificates.caCert).closedWithin(), 4010);
  assert.equal((await callRest(server, configUrl)).body.error, 'NO_AUTH_FOUND');
});
