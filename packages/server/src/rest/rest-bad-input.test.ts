import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SESSION_COOKIE } from '@portaldesk/protocol';
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

const nested = (depth: number, leaf: unknown = 'x'): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? { BLOCKS: value } : [value];
  return value;
};
const messageCount = async () => {
  const { body } = await callRest(server, `${hook}im.dialog.messages.get`, { DIALOG_ID: memberId, LIMIT: 50 });
  return (body.result as { messages: unknown[] }).messages.length;
};

test('ATTACH, KEYBOARD or MENU nested thousands of levels deep is refused and stores nothing', async () => {
  const { body: sent } = await callRest(server, `${hook}im.message.add`, { DIALOG_ID: memberId, MESSAGE: 'first' });
  const messageId = sent.result as number;
  const before = await messageCount();
  for (const block of ['ATTACH', 'KEYBOARD', 'MENU']) {
    for (const [method, params] of [
      ['im.message.add', { DIALOG_ID: memberId, MESSAGE: 'deep' }],
      ['im.message.update', { MESSAGE_ID: messageId, MESSAGE: 'deep' }],
    ] as const) {
      const asJson = await callRest(server, `${hook}${method}`, { ...params, [block]: nested(4100) });
      assert.equal(asJson.status, 400, `${method} ${block}: ${JSON.stringify(asJson.body)}`);
      assert.equal(asJson.body.error, 'INVALID_REQUEST');
      // The same block as a JSON string inside a form: the method's own documented code.
      const form = new URLSearchParams({ ...params, MESSAGE_ID: String(messageId), DIALOG_ID: String(memberId) });
      form.set(block, JSON.stringify(nested(4100)));
      const res = await server.fetch(`${hook}${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      assert.equal(res.status, 400, `${method} ${block} as a string`);
      assert.equal(((await res.json()) as { error: string }).error, `${block}_ERROR`);
    }
  }
  assert.equal(await messageCount(), before);
  // A block of a reasonable depth is still taken.
  const fine = await callRest(server, `${hook}im.message.add`, {
    DIALOG_ID: memberId,
    MESSAGE: 'shallow',
    ATTACH: nested(6, { MESSAGE: 'leaf' }),
  });
  assert.equal(fine.status, 200, JSON.stringify(fine.body));
});

test('a lone surrogate in MESSAGE is refused before the database sees it, and its text is not logged', async () => {
  const before = await messageCount();
  const marker = 'surrogate-marker-7f3a';
  for (const text of [`${marker}\ud800`, `\udc00${marker}`]) {
    const res = await server.fetch(`${hook}im.message.add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // JSON.stringify writes a lone surrogate as its \u escape, as a hostile client would send it.
      body: JSON.stringify({ DIALOG_ID: memberId, MESSAGE: text }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      error: 'INVALID_REQUEST',
      error_description: 'Parameters must be well-formed Unicode text',
    });
  }
  const inAttach = await callRest(server, `${hook}im.message.add`, {
    DIALOG_ID: memberId,
    MESSAGE: 'x',
    ATTACH: JSON.stringify([{ MESSAGE: `${marker}\ud800` }]),
  });
  assert.equal(inAttach.body.error, 'ATTACH_ERROR');
  // A surrogate pair, an emoji, is text like any other.
  assert.equal((await callRest(server, `${hook}im.message.add`, { DIALOG_ID: memberId, MESSAGE: '😀' })).status, 200);
  assert.equal(await messageCount(), before + 1);
  assert.ok(!server.logs.some((line) => line.includes(marker)));
});

test('a NUL byte in a sign-in form is refused in the form answer shape, and signs nobody in', async () => {
  const portalUrl = server.portalUrl(acme.domain);
  for (const body of [
    'action=login&login=x%00y&password=p&json=y',
    'action=login&login=ada&password=ada%00password&json=y',
    'action=login&login=ada&password=ada+password+1&otp=1%002&json=y',
  ]) {
    const res = await server.fetch(`${portalUrl}/desktop_app/login/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    assert.equal(res.status, 400, body);
    assert.deepEqual(await res.json(), { success: false, code: 'bad_request' });
    assert.deepEqual(res.headers.getSetCookie(), []);
  }
  const asJson = await server.fetch(`${portalUrl}/desktop_app/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'login', login: 'ada\u0000', password: 'p', json: 'y' }),
  });
  assert.equal(asJson.status, 400);
  assert.deepEqual(await asJson.json(), { success: false, code: 'bad_request' });
});

test('a NUL byte in the OAuth token request or in a cookie is refused, not a server error', async () => {
  const portalUrl = server.portalUrl(acme.domain);
  const token = await server.fetch(`${portalUrl}/oauth/token/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=authorization_code&client_id=a%00&client_secret=b&code=c',
  });
  assert.equal(token.status, 400);
  assert.equal(((await token.json()) as { error: string }).error, 'invalid_request');
  const cookie = await server.fetch(`${portalUrl}/rest/user.current.json`, {
    headers: { cookie: `${SESSION_COOKIE}=a%00b` },
  });
  assert.equal(cookie.status, 400);
  assert.equal(((await cookie.json()) as { error: string }).error, 'INVALID_REQUEST');
});

test('in a batch, each hostile command fails on its own and the others answer', async () => {
  const deepAttach = encodeURIComponent(JSON.stringify(nested(4100)));
  const cmd = {
    first: 'server.time',
    bigId: 'user.get?FILTER[ID]=99999999999',
    bigAbove: 'user.get?FILTER[%3EID]=2147483648',
    nul: `im.message.add?DIALOG_ID=${memberId}&MESSAGE=a%00b`,
    deep: `im.message.add?DIALOG_ID=${memberId}&MESSAGE=x&ATTACH=${deepAttach}`,
    revoke: 'portaldesk.apppassword.revoke?ID=2147483648',
    last: 'user.current',
  };
  const before = await messageCount();
  const { status, body } = await callRest(server, `${hook}batch`, { halt: 0, cmd });
  assert.equal(status, 200, JSON.stringify(body));
  const result = body.result as { result: Record<string, unknown>; result_error: Record<string, { error: string }> };
  assert.deepEqual(Object.keys(result.result).sort(), ['first', 'last']);
  assert.deepEqual(
    Object.fromEntries(Object.entries(result.result_error).map(([key, failure]) => [key, failure.error])),
    {
      bigId: 'INVALID_ARG_VALUE',
      bigAbove: 'INVALID_ARG_VALUE',
      nul: 'INVALID_REQUEST',
      deep: 'ATTACH_ERROR',
      revoke: 'INVALID_ARG_VALUE',
    },
  );
  assert.equal(await messageCount(), before);
});
