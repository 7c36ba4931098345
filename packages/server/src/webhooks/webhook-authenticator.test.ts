import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { callRest, createPortalWithUsers, type PortalFixture } from '../testing/rest-fixtures.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

let server: TestServer;
let acme: PortalFixture;
let globex: PortalFixture;

before(async () => {
  server = await startTestServer();
  acme = await createPortalWithUsers(server, 'acme.localhost', 3);
  globex = await createPortalWithUsers(server, 'globex.localhost', 1);
});
after(() => server.close());

const acmeUrl = () => server.portalUrl('acme.localhost');
const NO_AUTH = { error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' };

test('a webhook calls on behalf of its user', async () => {
  const me = acme.users[1]!;
  const { secret } = await server.context.webhooks.create({
    portalId: acme.portal.id,
    userId: me.id,
    scopes: ['user'],
  });
  const { status, body } = await callRest(server, `${acmeUrl()}/rest/${me.id}/${secret}/user.current.json`);
  assert.equal(status, 200);
  assert.equal((body.result as { ID: string }).ID, String(me.id));
});

test('only a digest of the secret is stored', async () => {
  const me = acme.users[0]!;
  const { secret } = await server.context.webhooks.create({
    portalId: acme.portal.id,
    userId: me.id,
    scopes: ['user'],
  });
  const rows = await server.context.db.query<Record<string, unknown>>('SELECT * FROM incoming_webhooks');
  assert.ok(!JSON.stringify(rows).includes(secret));
});

test('a wrong secret, or the right secret under another user id, is NO_AUTH_FOUND', async () => {
  const me = acme.users[0]!;
  const { secret } = await server.context.webhooks.create({
    portalId: acme.portal.id,
    userId: me.id,
    scopes: ['user'],
  });
  const wrong = await callRest(server, `${acmeUrl()}/rest/${me.id}/${secret.replace(/.$/, '0')}x/profile`);
  assert.equal(wrong.status, 401);
  assert.deepEqual(wrong.body, NO_AUTH);
  const otherUser = await callRest(server, `${acmeUrl()}/rest/${acme.users[1]!.id}/${secret}/profile`);
  assert.equal(otherUser.status, 401);
  assert.deepEqual(otherUser.body, NO_AUTH);
});

test('a webhook of portal A is refused on portal B', async () => {
  const me = acme.users[0]!;
  const { secret } = await server.context.webhooks.create({
    portalId: acme.portal.id,
    userId: me.id,
    scopes: ['user'],
  });
  const { status, body } = await callRest(
    server,
    `${server.portalUrl('globex.localhost')}/rest/${me.id}/${secret}/profile`,
  );
  assert.equal(status, 401);
  assert.deepEqual(body, NO_AUTH);
  assert.ok(globex.portal.id !== acme.portal.id);
});

test('a revoked or expired webhook is NO_AUTH_FOUND', async () => {
  const me = acme.users[0]!;
  const revoked = await server.context.webhooks.create({ portalId: acme.portal.id, userId: me.id, scopes: ['user'] });
  await server.context.webhooks.revoke(acme.portal.id, revoked.webhook.id, new Date());
  assert.equal((await callRest(server, `${acmeUrl()}${revoked.path}profile`)).status, 401);
  const expired = await server.context.webhooks.create({
    portalId: acme.portal.id,
    userId: me.id,
    scopes: ['user'],
    expiresAt: new Date(Date.now() - 1000),
  });
  assert.deepEqual((await callRest(server, `${acmeUrl()}${expired.path}profile`)).body, NO_AUTH);
});

test('the webhook of a deactivated user is refused with INVALID_CREDENTIALS', async () => {
  const leaver = acme.users[2]!;
  const { path } = await server.context.webhooks.create({
    portalId: acme.portal.id,
    userId: leaver.id,
    scopes: ['user'],
  });
  assert.equal((await callRest(server, `${acmeUrl()}${path}profile`)).status, 200);
  await server.context.users.setActive(acme.portal.id, leaver.id, false);
  const { status, body } = await callRest(server, `${acmeUrl()}${path}profile`);
  assert.equal(status, 403);
  assert.equal(body.error, 'INVALID_CREDENTIALS');
});

test('a webhook cannot be made for a user of another portal or with a malformed scope', async () => {
  await assert.rejects(
    server.context.webhooks.create({ portalId: acme.portal.id, userId: globex.users[0]!.id, scopes: ['user'] }),
    { code: 'INVALID_WEBHOOK' },
  );
  await assert.rejects(
    server.context.webhooks.create({ portalId: acme.portal.id, userId: acme.users[0]!.id, scopes: ['user; drop'] }),
    { code: 'INVALID_WEBHOOK' },
  );
});

test('no webhook secret reaches the logs', async () => {
  const me = acme.users[0]!;
  const { secret, path } = await server.context.webhooks.create({
    portalId: acme.portal.id,
    userId: me.id,
    scopes: [],
  });
  await server.fetch(`${acmeUrl()}${path}profile?x=1`);
  await server.fetch(`${acmeUrl()}${path.replace(secret, `${secret}0`)}profile`);
  assert.ok(server.logs.length > 0);
  assert.ok(!server.logs.some((line) => line.includes(secret)));
});
