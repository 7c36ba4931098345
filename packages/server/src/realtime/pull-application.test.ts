import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { PullConfig } from '@portaldesk/protocol';
import type { Portal } from '../portals/portal.ts';
import { authorizeAllowing, registerApp, requestToken, signIn } from '../testing/oauth-fixtures.ts';
import { PullTestClient } from '../testing/pull-test-client.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

let server: TestServer;
let acme: Portal;
let alice: number;
let accessToken: string;
let authorizeAgain: () => Promise<{ access_token: string; refresh_token: string }>;

before(async () => {
  server = await startTestServer();
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  alice = (await server.context.users.create(acme.id, { firstName: 'Alice', lastName: 'A', email: 'alice@acme.test' }))
    .id;
  const app = await registerApp(server, acme, ['pull', 'im']);
  const session = await signIn(server, acme, alice);
  authorizeAgain = async () => {
    const location = await authorizeAllowing(server, acme, session, { client_id: app.clientId });
    const code = location.searchParams.get('code') ?? '';
    const token = await requestToken(server, acme, {
      grant_type: 'authorization_code',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code,
    });
    assert.equal(token.status, 200);
    return token.body;
  };
  refresh = (refreshToken) =>
    requestToken(server, acme, {
      grant_type: 'refresh_token',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      refresh_token: refreshToken,
    });
  accessToken = (await authorizeAgain()).access_token;
});
let refresh: (refreshToken: string) => ReturnType<typeof requestToken>;
after(() => server.close());

const call = async (method: string, token = accessToken) => {
  const res = await server.fetch(`${server.portalUrl('acme.localhost')}/rest/${method}.json?auth=${token}`);
  return { status: res.status, body: (await res.json()) as { result?: unknown; error?: string } };
};

/** A realtime socket on the channel `pull.application.config.get` gives the token's app. */
async function connect(token: string) {
  const config = (await call('pull.application.config.get', token)).body.result as PullConfig;
  const ids = encodeURIComponent(`${config.channels.private.id}/${config.channels.shared.id}`);
  const client = PullTestClient.connect(`${config.server.websocket}?CHANNEL_ID=${ids}`);
  await client.opened;
  await client.call('ping');
  return client;
}

test('an OAuth app gets its channel from pull.application.config.get, and pull.config.get refuses its token', async () => {
  const refused = await call('pull.config.get');
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error, 'WRONG_AUTH_TYPE');
  const answer = await call('pull.application.config.get');
  assert.equal(answer.status, 200);
  const config = answer.body.result as PullConfig;
  assert.equal(config.server.version, 5);
  assert.equal(config.api.revision_web, 19);
  assert.ok(Date.parse(config.channels.private.end) > Date.now());
});

test("an app's channel carries application events only, never the user's messages", async () => {
  const config = (await call('pull.application.config.get')).body.result as PullConfig;
  const ids = encodeURIComponent(`${config.channels.private.id}/${config.channels.shared.id}`);
  const client = PullTestClient.connect(`${config.server.websocket}?CHANNEL_ID=${ids}`);
  await client.opened;
  await client.call('ping');
  const { db, events } = server.context;
  for (const moduleId of ['im', 'application']) {
    const recorded = await db.transaction((tx) =>
      events.record(tx, acme.id, [alice], { moduleId, command: 'test_event', params: { moduleId } }),
    );
    events.announce(recorded);
  }
  await client.waitForCount(1);
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(
    client.received.map((p) => p.moduleId),
    ['application'],
  );
  await client.close();
});

test("revoking an authorization (a refresh token used twice) closes that authorization's sockets at once", async () => {
  const tokens = await authorizeAgain();
  const revoked = await connect(tokens.access_token);
  const unrelated = await connect(accessToken);
  assert.equal((await refresh(tokens.refresh_token)).status, 200);
  assert.equal(revoked.closeCode, null, 'a normal refresh keeps the socket open');
  const replay = await refresh(tokens.refresh_token);
  assert.equal(replay.body.error, 'invalid_grant');
  assert.equal(await revoked.closedWithin(5_000), 4010);
  // Another authorization of the same app and user keeps its socket.
  assert.equal((await unrelated.call('ping')).result, 'pong');
  assert.equal(unrelated.closeCode, null);
  await unrelated.close();
});

test('deleting an app closes the sockets of every authorization it holds, and only those', async () => {
  const session = await signIn(server, acme, alice);
  const doomed = await registerApp(server, acme, ['pull']);
  const location = await authorizeAllowing(server, acme, session, { client_id: doomed.clientId });
  const token = await requestToken(server, acme, {
    grant_type: 'authorization_code',
    client_id: doomed.clientId,
    client_secret: doomed.clientSecret,
    code: location.searchParams.get('code') ?? '',
  });
  const ofDoomed = await connect(token.body.access_token);
  const ofOther = await connect(accessToken);
  await server.context.oauthAppAdministration.delete(acme.id, doomed.clientId);
  assert.equal(await ofDoomed.closedWithin(5_000), 4010);
  assert.equal((await ofOther.call('ping')).result, 'pong');
  await ofOther.close();
});
