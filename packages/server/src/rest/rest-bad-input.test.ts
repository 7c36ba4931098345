import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Portal } from '../portals/portal.ts';
import { createUserWithPassword } from '../testing/auth-fixtures.ts';
import { callRest, createWebhookUrl } from '../testing/rest-fixtures.ts';
import { TestDesktop } from '../testing/test-desktop.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

// Input no real client sends, as an attacker or a broken script would: each is answered with
// the documented 400-class error in the REST shape, never HTTP 500, and changes nothing.

let server: TestServer;
let acme: Portal;
let admin: TestDesktop;
let hook: string;
let adminId: number;
let memberId: number;

before(async () => {
  server = await startTestServer();
  acme = await server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
  const ada = await createUserWithPassword(
    server,
    acme.id,
    { firstName: 'Ada', lastName: 'Admin', username: 'ada', email: 'ada@acme.test', isAdmin: true },
    'ada password 1',
  );
  adminId = ada.id;
  memberId = (await server.context.users.create(acme.id, { firstName: 'Max', lastName: 'Member', username: 'max' })).id;
  admin = new TestDesktop(server, acme.domain);
  assert.equal((await admin.signIn('ada', 'ada password 1')).status, 200);
  hook = await createWebhookUrl(server, acme, adminId, ['user', 'im']);
});
after(() => server.close());

const BEYOND_INT32 = ['2147483648', '99999999999', 2147483648, -2147483649];

test('an id beyond a 32-bit integer is INVALID_ARG_VALUE, in a filter, an id parameter or a page offset', async () => {
  for (const big of BEYOND_INT32) {
    for (const [method, params] of [
      ['user.get', { FILTER: { ID: big } }],
      ['user.get', { FILTER: { '>ID': big } }],
      ['user.get', { FILTER: { '<=ID': big } }],
      ['user.get', { ID: [1, big] }],
      ['user.get', { start: big }],
      ['im.recent.list', { OFFSET: big }],
      ['im.notify.read', { ID: big }],
    ] as const) {
      const { status, body } = await callRest(server, `${hook}${method}`, params);
      assert.equal(status, 400, `${method} ${JSON.stringify(params)}: ${JSON.stringify(body)}`);
      assert.equal(body.error, 'INVALID_ARG_VALUE');
    }
  }
  // The largest id is still an id: nobody has it, so the list is empty.
  const { status, body } = await callRest(server, `${hook}user.get`, { FILTER: { '<=ID': 2147483647, '>ID': 0 } });
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal((body.result as unknown[]).length, 2);
});

test('account and admin methods refuse an id beyond a 32-bit integer and change nothing', async () => {
  for (const method of [
    'portaldesk.apppassword.revoke',
    'portaldesk.admin.user.deactivate',
    'portaldesk.admin.user.activate',
    'portaldesk.admin.webhook.delete',
  ]) {
    for (const big of BEYOND_INT32) {
      const reply = await admin.rest(method, { ID: big });
      assert.equal(reply.status, 400, `${method} ${big}: ${JSON.stringify(reply.body)}`);
      assert.equal(reply.body.error, 'INVALID_ARG_VALUE');
    }
  }
  assert.equal((await server.context.users.findById(acme.id, memberId))?.active, true);
  assert.equal((await callRest(server, `${hook}user.current`)).status, 200, 'the webhook still works');
});
